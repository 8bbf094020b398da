/**
 * Payments under a failing gateway, against the real broker: a gateway
 * unavailable for a while is retried with capped exponential backoff and
 * the order is paid once, with retries counted per order; an outage of the
 * gateway dead-letters nothing.
 * Orders arrive as a producer outside Freshet sends them (bare JSON, no
 * CloudEvents headers).
 */
import assert from "node:assert/strict";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import type { BatchErrorInfo } from "../shared/consumer/runner.ts";
import { errorCode } from "../shared/core/errors.ts";
import { ORDERS_CREATED, ORDERS_PAID } from "../services/orders/events.ts";
import { listPayments } from "../services/payments/payments_db.ts";
import { produce, waitFor } from "./helpers.ts";
import {
  jsonOf,
  ordersWorld,
  readTopic,
  seedOrderMessage,
  startRunner,
  withDb,
} from "./orders_helpers.ts";

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
      seedOrderMessage("507f1f77bcf86cd799439011", 4500),
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

Deno.test("payments - a gateway failing each charge 3 times: 10 orders at once are all paid, none dead-lettered", async () => {
  const world = await ordersWorld();
  const payments = await startRunner(
    world,
    paymentsConsumer.create({ ...world.env, PAYMENTS_GATEWAY_FAILURES: "3" }),
    { initialRetryMs: 20, maxRetryMs: 100 },
  );
  try {
    const ids = Array.from({ length: 10 }, (_, i) => `order-${i}`);
    await produce(
      world.kafka,
      world.topic(ORDERS_CREATED),
      ids.map((id) => seedOrderMessage(id, 4500)),
    );
    let paid: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("10 orders paid", async () => {
      paid = await readTopic(world, ORDERS_PAID);
      return paid.length >= 10;
    }, 60_000);
    assert.deepEqual(paid.map((m) => jsonOf(m).orderId).sort(), ids.toSorted());
    assert.equal(payments.counters.retries, 30, "3 retries of each order, counted per order");
    assert.equal(payments.counters.deadLettered, 0);
    assert.deepEqual(await readTopic(world, `${ORDERS_CREATED}.dlq`), []);
  } finally {
    await payments.stop();
    await world.close();
  }
});

Deno.test("payments - a gateway outage longer than the retry budget dead-letters nothing", async () => {
  const world = await ordersWorld();
  const payments = await startRunner(
    world,
    paymentsConsumer.create({ ...world.env, PAYMENTS_GATEWAY_DOWN_MS: "3000" }),
    { initialRetryMs: 50, maxRetryMs: 300, messageBudgetMs: 500 },
  );
  try {
    const ids = Array.from({ length: 6 }, (_, i) => `outage-${i}`);
    await produce(
      world.kafka,
      world.topic(ORDERS_CREATED),
      ids.map((id) => seedOrderMessage(id, 4500)),
    );
    let paid: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("every order paid once the gateway is back", async () => {
      paid = await readTopic(world, ORDERS_PAID);
      return paid.length >= 6;
    }, 60_000);
    assert.ok(payments.counters.retries > 0, "it waited the outage out");
    assert.equal(payments.counters.deadLettered, 0);
    assert.deepEqual(await readTopic(world, `${ORDERS_CREATED}.dlq`), []);
    const listed = withDb(world, "payments-service", (db) => listPayments(db));
    assert.deepEqual(listed.map((p) => p.orderId).sort(), ids.toSorted());
  } finally {
    await payments.stop();
    await world.close();
  }
});
