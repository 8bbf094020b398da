/**
 * Payments under a failing gateway, against the real broker: a gateway
 * unavailable for a while is retried with capped exponential backoff and
 * the order is paid once; one that keeps failing sends the order to
 * `orders.created.dlq` with the reason, and nothing is paid or emitted.
 * Orders arrive as a producer outside Freshet sends them (bare JSON, no
 * CloudEvents headers).
 */
import assert from "node:assert/strict";
import { paymentsConsumer } from "../consumers/payments.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import type { BatchErrorInfo } from "../shared/consumer/runner.ts";
import { errorCode } from "../shared/core/errors.ts";
import { ORDERS_CREATED, ORDERS_PAID } from "../services/orders/events.ts";
import { listPayments } from "../services/payments/payments_db.ts";
import { produce, waitFor } from "./helpers.ts";
import { jsonOf, ordersWorld, readTopic, startRunner, withDb } from "./orders_helpers.ts";

/** An `orders.created` exactly as seed 001 shows it. */
function seedOrder(orderId: string) {
  return {
    key: orderId,
    value: JSON.stringify({
      orderId,
      clientId: "1",
      total: 4500.00,
      status: "PENDENTE",
      items: [{ productId: "1", quantity: 1, price: 4500.00 }],
      itemsCount: 1,
      createdAt: "2024-01-15T10:30:00.000Z",
    }),
  };
}

Deno.test("payments - a gateway unavailable twice is retried with backoff, then the order is paid once", async () => {
  const world = await ordersWorld();
  const errors: (BatchErrorInfo & { at: number })[] = [];
  const payments = await startRunner(
    world,
    paymentsConsumer.create({ ...world.env, PAYMENTS_GATEWAY_FAILURES: "2" }),
    {
      initialRetryMs: 100,
      maxRetryMs: 1_000,
      onBatchError: (info) => errors.push({ ...info, at: Date.now() }),
    },
  );
  try {
    await produce(world.kafka, world.topic(ORDERS_CREATED), [
      seedOrder("507f1f77bcf86cd799439011"),
    ]);
    let paid: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("orders.paid", async () => {
      paid = await readTopic(world, ORDERS_PAID);
      return paid.length > 0;
    });
    assert.deepEqual(
      errors.map((e) => [e.attempt, e.willRetry, errorCode(e.error)]),
      [[1, true, "GATEWAY_UNAVAILABLE"], [2, true, "GATEWAY_UNAVAILABLE"]],
    );
    const waited = errors[1].at - errors[0].at;
    assert.ok(waited >= 80, `waited ${waited} ms (100 ms ± 20 %) before the second attempt`);
    assert.equal(payments.counters.retries, 2);
    assert.equal(paid.length, 1);
    assert.equal(jsonOf(paid[0]).orderId, "507f1f77bcf86cd799439011");
    assert.equal(withDb(world, "payments-service", (db) => listPayments(db)).length, 1);
  } finally {
    await payments.stop();
    await world.close();
  }
});

Deno.test("payments - an order the gateway keeps refusing lands in orders.created.dlq, unpaid", async () => {
  const world = await ordersWorld();
  const payments = await startRunner(
    world,
    paymentsConsumer.create({ ...world.env, PAYMENTS_GATEWAY_FAILURES: "1000" }),
    { initialRetryMs: 10, maxRetryMs: 50 },
  );
  try {
    await produce(world.kafka, world.topic(ORDERS_CREATED), [seedOrder("order-stuck")]);
    let dead: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("the dead letter", async () => {
      dead = await readTopic(world, `${ORDERS_CREATED}.dlq`);
      return dead.length > 0;
    });
    assert.equal(payments.counters.retries, 5, "the runner's 5 retries, then the dead letter");
    assert.equal(dead[0].key, "order-stuck");
    assert.equal(dead[0].headers[DLQ_HEADERS.code], "GATEWAY_UNAVAILABLE");
    assert.match(dead[0].headers[DLQ_HEADERS.error], /payment gateway unavailable/);
    assert.equal(dead[0].headers[DLQ_HEADERS.topic], world.topic(ORDERS_CREATED));
    assert.equal(jsonOf(dead[0]).orderId, "order-stuck", "the message, unchanged");
    assert.deepEqual(withDb(world, "payments-service", (db) => listPayments(db)), []);
    await payments.stop();
    assert.deepEqual(await readTopic(world, ORDERS_PAID), []);
  } finally {
    await payments.stop();
    await world.close();
  }
});
