/**
 * Orders and payments (seed 001) against the real broker, each service as
 * its own principal, talking only through Kafka: the order is created over
 * HTTP (in process), the orders consumer relays `orders.created`, payments
 * decides and answers on `orders.paid` / `orders.failed`, the orders
 * consumer moves the order. Duplicates and redeliveries pay nothing twice.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../services/orders/events.ts";
import { getPayment, listPayments } from "../services/payments/payments_db.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import {
  createOrder,
  jsonOf,
  ordersWorld,
  readTopic,
  startRunner,
  withDb,
} from "./orders_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const CREATED_FIELDS = [
  "orderId",
  "clientId",
  "clientName",
  "total",
  "status",
  "items",
  "itemsCount",
  "createdAt",
];
const STATUS_FIELDS = ["orderId", "clientId", "clientName", "status", "total", "updatedAt"];

async function statusOf(app: Hono<WebEnv>, id: string): Promise<string> {
  const res = await app.fetch(new Request(`http://x/api/orders/${id}`));
  return (await res.json()).status;
}

Deno.test("orders and payments - orders are paid or declined through Kafka only, once each", async (t) => {
  const world = await ordersWorld();
  const { app, shutdown } = await createWorldApp(world);
  const paymentsGroup = randomName("payments-test");
  const paymentsDefinition = paymentsConsumer.create({
    ...world.env,
    PAYMENTS_DECLINE_ABOVE: "10000",
  });
  const orders = await startRunner(world, ordersConsumer.create(world.env));
  let payments = await startRunner(world, paymentsDefinition, { groupId: paymentsGroup });
  const payment = (id: string) => withDb(world, "payments-service", (db) => getPayment(db, id));
  try {
    await t.step("an order is created, paid by payments and becomes PAGO", async () => {
      const order = await createOrder(app, 4500);
      assert.equal(order.status, "PENDENTE");
      await waitFor("the order to be PAGO", async () => (await statusOf(app, order.id)) === "PAGO");

      const [created, ...moreCreated] = (await readTopic(world, ORDERS_CREATED))
        .filter((m) => m.key === order.id);
      assert.equal(moreCreated.length, 0);
      assert.deepEqual(Object.keys(jsonOf(created)), CREATED_FIELDS);
      assert.deepEqual(jsonOf(created), {
        orderId: order.id,
        clientId: "1",
        clientName: "João Silva",
        total: 4500,
        status: "PENDENTE",
        items: [{ productId: "1", quantity: 2, price: 2250 }],
        itemsCount: 1,
        createdAt: order.createdAt,
      });
      assert.equal(created.headers.ce_type, "orders.created");
      assert.equal(created.headers.ce_source, "freshet/orders");

      const paid = (await readTopic(world, ORDERS_PAID)).filter((m) => m.key === order.id);
      assert.equal(paid.length, 1);
      const event = jsonOf(paid[0]);
      assert.deepEqual(Object.keys(event), STATUS_FIELDS);
      assert.deepEqual({ ...event, updatedAt: "-" }, {
        orderId: order.id,
        clientId: "1",
        clientName: "João Silva",
        status: "PAGO",
        total: 4500,
        updatedAt: "-",
      });
      assert.equal(paid[0].headers.ce_source, "freshet/payments");
      assert.equal(paid[0].partition, created.partition, "same key, same partition number");
      assert.equal(payment(order.id)?.outcome, "approved");
    });

    await t.step(
      "an order above PAYMENTS_DECLINE_ABOVE is declined and becomes FALHA",
      async () => {
        const order = await createOrder(app, 12000);
        await waitFor(
          "the order to be FALHA",
          async () => (await statusOf(app, order.id)) === "FALHA",
        );
        const failed = (await readTopic(world, ORDERS_FAILED)).filter((m) => m.key === order.id);
        assert.equal(failed.length, 1);
        assert.equal(jsonOf(failed[0]).status, "FALHA");
        assert.equal(jsonOf(failed[0]).total, 12000);
        assert.equal(payment(order.id)?.outcome, "declined");
        assert.match(payment(order.id)?.reason ?? "", /above the limit of 10000\.00/);
      },
    );

    await t.step("an orders.created produced again at another offset is paid once", async () => {
      const order = await createOrder(app, 100);
      await waitFor("the order to be PAGO", async () => (await statusOf(app, order.id)) === "PAGO");
      const [created] = (await readTopic(world, ORDERS_CREATED)).filter((m) => m.key === order.id);
      const copy = new TextDecoder().decode(created.value!);
      await produce(world.kafka, world.topic(ORDERS_CREATED), [{ key: order.id, value: copy }]);
      await waitFor("the duplicate to be seen", () => payment(order.id)?.duplicates === 1);
      await payments.stop(); // flushes the outbox: anything emitted is on the topic now
      const paid = (await readTopic(world, ORDERS_PAID)).filter((m) => m.key === order.id);
      assert.equal(paid.length, 1, "one orders.paid");
      payments = await startRunner(world, paymentsDefinition, { groupId: paymentsGroup });
    });

    await t.step("after a rewind of the group's offsets, payments pays nothing again", async () => {
      await payments.stop();
      const before = withDb(world, "payments-service", (db) => listPayments(db));
      await withAdmin(world.kafka, (admin) =>
        admin.resetOffsets({
          groupId: paymentsGroup,
          topic: world.topic(ORDERS_CREATED),
          earliest: true,
        }));
      payments = await startRunner(world, paymentsDefinition, { groupId: paymentsGroup });
      const order = await createOrder(app, 50);
      await waitFor(
        "the new order to be PAGO",
        async () => (await statusOf(app, order.id)) === "PAGO",
      );
      const after = withDb(world, "payments-service", (db) => listPayments(db));
      assert.deepEqual(after.slice(0, before.length), before, "earlier payments untouched");
      assert.deepEqual(after.slice(before.length).map((p) => p.orderId), [order.id]);
      assert.equal(payments.counters.processed, 1, "only the new order was read");
      const decisions = [
        ...await readTopic(world, ORDERS_PAID),
        ...await readTopic(world, ORDERS_FAILED),
      ].filter((m) => m.headers.ce_source === "freshet/payments");
      assert.equal(decisions.length, after.length, "one decision per order");
    });
  } finally {
    await payments.stop();
    await orders.stop();
    shutdown();
    await world.close();
  }
});
