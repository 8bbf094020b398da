/**
 * A processor whose transactional producer is fenced while the group hands
 * its partition to nobody else (the fault campaign, seed 5: the fence came
 * with no rebalance, and the partition waited for one for good). After its
 * session's worth of heartbeats it is positioned again with a new
 * producer, and the order waiting behind the fence gets its one decision.
 */
import assert from "node:assert/strict";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../services/orders/events.ts";
import { createIdempotentProducer } from "../shared/kafka/client.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import { jsonOf, ordersWorld, readTopic, seedOrderMessage, startRunner } from "./orders_helpers.ts";

Deno.test("payments - a producer fenced with no rebalance: the partition is positioned again, one decision each", async () => {
  const world = await ordersWorld();
  const groupId = randomName("payments-test");
  const payments = await startRunner(world, paymentsConsumer.create(world.env), { groupId });
  const decisions = async () =>
    [...await readTopic(world, ORDERS_PAID), ...await readTopic(world, ORDERS_FAILED)]
      .map((m) => String(jsonOf(m).orderId));
  try {
    const topic = world.topic(ORDERS_CREATED);
    await produce(world.kafka, topic, [{ ...seedOrderMessage("order-1", 45), partition: 1 }]);
    await waitFor("order-1 decided", async () => (await decisions()).includes("order-1"), 30_000);

    // Another producer initialises the partition's transactional id: the runner's is fenced,
    // and no member of the group took the partition.
    const fencer = createIdempotentProducer(world.kafka, {
      transactionalId: `${groupId}-${topic}-1`,
    });
    await fencer.connect();
    await (await fencer.transaction()).abort();
    await fencer.disconnect();

    await produce(world.kafka, topic, [{ ...seedOrderMessage("order-2", 45), partition: 1 }]);
    await waitFor(
      "order-2 decided after the fence",
      async () => (await decisions()).includes("order-2"),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2_000)); // a second decision would show by now
    assert.deepEqual((await decisions()).sort(), ["order-1", "order-2"]);
    assert.equal(payments.status().state, "running");
  } finally {
    await payments.stop();
    await world.close();
  }
});
