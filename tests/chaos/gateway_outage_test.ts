/**
 * The payments gateway down for a while (30 s under `deno task chaos`)
 * under a standalone payments process with a short retry budget: no order
 * is dead-lettered (an outage is not a poison message), and every order is
 * decided once the gateway is back.
 */
import assert from "node:assert/strict";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../../services/orders/events.ts";
import { produce, waitFor } from "../helpers.ts";
import { launch } from "../launched.ts";
import { jsonOf, ordersWorld, readTopic, seedOrderMessage } from "../orders_helpers.ts";
import { size } from "./chaos.ts";

const OUTAGE_MS = size(5_000, 30_000);
const ORDERS = size(100, 1_000);

Deno.test(`chaos - the payment gateway down for ${OUTAGE_MS / 1000} s: no order dead-lettered, all decided after`, async () => {
  const world = await ordersWorld();
  const payments = await launch("consumer:payments", {
    env: {
      ...world.env,
      DATA_DIR: world.dataDir,
      PAYMENTS_GATEWAY_DOWN_MS: String(OUTAGE_MS),
      CONSUMER_RETRY_BUDGET_MS: String(Math.round(OUTAGE_MS / 5)), // the outage outlasts it
    },
  });
  try {
    await payments.waitForOutput(/consuming group=/, 60_000);
    const startedAt = Date.now();
    await produce(
      world.kafka,
      world.topic(ORDERS_CREATED),
      Array.from({ length: ORDERS }, (_, i) => seedOrderMessage(`order-${i}`, 100)),
    );
    let decided: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor(`${ORDERS} decisions`, async () => {
      decided = [...await readTopic(world, ORDERS_PAID), ...await readTopic(world, ORDERS_FAILED)];
      return decided.length >= ORDERS;
    }, OUTAGE_MS + 120_000);
    assert.ok(Date.now() - startedAt >= OUTAGE_MS * 0.8, "decided after the outage, not during it");
    console.log(
      `CHAOS gateway: ${ORDERS} orders decided ${
        Date.now() - startedAt
      } ms after they were sent (outage ${OUTAGE_MS} ms)`,
    );
    assert.equal(new Set(decided.map((m) => jsonOf(m).orderId)).size, ORDERS);
    assert.deepEqual(await readTopic(world, `${ORDERS_CREATED}.dlq`), [], "nothing dead-lettered");
    assert.match(payments.output(), /partition paused before retrying it/);
  } finally {
    assert.equal((await payments.stop()).code, 0, payments.output().slice(-2000));
    await world.close();
  }
});
