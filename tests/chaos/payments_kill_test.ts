/**
 * Two payments instances (a processor: one group, Kafka transactions)
 * SIGKILLed alternately while orders arrive: every order gets exactly one
 * committed decision event, and one payment (every row recorded for an
 * order carries the same charge: the gateway's idempotency key).
 */
import { ORDERS_CREATED } from "../../services/orders/events.ts";
import { produce, waitFor } from "../helpers.ts";
import { ordersWorld, seedOrderMessage } from "../orders_helpers.ts";
import { size } from "./chaos.ts";
import { assertOncePerOrder, decisions, paymentsInstance } from "./payments_instances.ts";

const ORDERS = size(1_000, 10_000);
const KILLS = size(4, 10);

Deno.test(`chaos - two payments instances SIGKILLed ${KILLS} times during ${ORDERS} orders: one decision and one payment each`, async () => {
  const world = await ordersWorld();
  const instances = ["a", "b"].map((id) => paymentsInstance(world, id));
  try {
    const began = Date.now();
    const ids = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
    const chunk = Math.ceil(ORDERS / (KILLS + 1));
    let decided = 0;
    for (let k = 0; k <= KILLS; k++) {
      await produce(
        world.kafka,
        world.topic(ORDERS_CREATED),
        ids.slice(k * chunk, (k + 1) * chunk).map((id) => seedOrderMessage(id, 45.5)),
      );
      if (k === KILLS) break;
      // Kill mid-stream, once the instances have decided more since the last kill.
      const target = decided + 1;
      await waitFor(
        "decisions to progress",
        async () => (decided = (await decisions(world)).length) >= target,
        120_000,
      );
      const victim = instances[k % 2];
      victim.child.kill("SIGKILL");
      await victim.child.status;
      victim.child = victim.spawn();
    }
    await waitFor(
      `${ORDERS} decisions`,
      async () => (await decisions(world)).length >= ORDERS,
      240_000,
    );
    console.log(
      `CHAOS payments: ${ORDERS} orders decided in ${Date.now() - began} ms with ${KILLS} kills`,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // would a second decision still commit?

    await assertOncePerOrder(world, instances, ORDERS);
  } finally {
    for (const instance of instances) {
      try {
        instance.child.kill("SIGTERM");
      } catch { /* gone */ }
      await instance.child.status;
    }
    await world.close();
  }
});
