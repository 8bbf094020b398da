/**
 * Finding 9 of issue 17: a payments instance frozen (SIGSTOP) past its
 * session, while orders keep coming, wakes up as a zombie with batches it
 * fetched before: its commits are fenced by the instance that took its
 * partitions, and it must not initialise a producer again by itself (that
 * would fence the new owner back and commit from its stale position). Every
 * order gets exactly one committed decision and one charge.
 */
import { ORDERS_CREATED } from "../../services/orders/events.ts";
import { produce, waitFor } from "../helpers.ts";
import { ordersWorld, seedOrderMessage } from "../orders_helpers.ts";
import { size } from "./chaos.ts";
import { assertOncePerOrder, decisions, paymentsInstance } from "./payments_instances.ts";

const ORDERS = size(600, 3_000);
const FREEZES = size(2, 6);

Deno.test(`chaos - a payments instance frozen past its session ${FREEZES} times during ${ORDERS} orders: one decision and one charge each`, async () => {
  const world = await ordersWorld();
  const instances = ["a", "b"].map((id) => paymentsInstance(world, id));
  let producing = true;
  const ids = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
  const load = (async () => {
    for (let i = 0; i < ids.length && producing; i += 10) {
      await produce(
        world.kafka,
        world.topic(ORDERS_CREATED),
        ids.slice(i, i + 10).map((id) => seedOrderMessage(id, 45.5)),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    for (let k = 0; k < FREEZES; k++) {
      const target = (k + 1) * Math.floor(ORDERS / (FREEZES + 2));
      await waitFor(
        "decisions to progress",
        async () => (await decisions(world)).length >= target,
        120_000,
      );
      const zombie = instances[k % 2];
      zombie.child.kill("SIGSTOP");
      await new Promise((r) => setTimeout(r, 12_000)); // past its 6-s session: the other takes over
      zombie.child.kill("SIGCONT");
    }
    await load;
    await waitFor(
      `${ORDERS} decisions`,
      async () => (await decisions(world)).length >= ORDERS,
      240_000,
    );
    await new Promise((r) => setTimeout(r, 3_000)); // would a second decision still commit?
    await assertOncePerOrder(world, instances, ORDERS);
  } finally {
    producing = false;
    await load.catch(() => {});
    for (const instance of instances) {
      try {
        instance.child.kill("SIGCONT");
        instance.child.kill("SIGTERM");
      } catch { /* gone */ }
      await instance.child.status;
    }
    await world.close();
  }
});
