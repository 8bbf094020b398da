/**
 * The orders and payments consumers as they run in production: Workers of
 * the web server with narrowed permissions (their own data folder, the
 * brokers, their variables), as their own principals. An order created
 * over HTTP is paid and its page row follows on the live stream; orders
 * posted while the outbox relay idles reach Kafka at once (the web route
 * wakes the Worker's relay on the bus; idle, it looks only every 2 s).
 */
import assert from "node:assert/strict";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { paymentsConsumer, paymentsConsumerName } from "../services/payments/consumer.ts";
import type { BusMessage } from "../shared/bus/bus.ts";
import { subscribe } from "../shared/bus/bus.ts";
import { type ConsumerEntry, startConsumerWorker } from "../shared/consumer/workers.ts";
import { LOCAL_BROKER } from "../shared/kafka/config.ts";
import { ORDERS_SERVICE } from "../services/orders/orders_db.ts";
import { startWorldServer } from "./prefixed_world.ts";
import { waitFor } from "./helpers.ts";
import { ordersWorld, withDb } from "./orders_helpers.ts";

/** The entries the root list (freshet.ts) registers for these consumers. */
const ENTRIES: ConsumerEntry[] = [
  {
    name: ORDERS_SERVICE,
    task: "orders",
    principal: "orders",
    url: new URL("../services/orders/consumer.ts", import.meta.url),
    module: ordersConsumer,
  },
  {
    name: paymentsConsumerName(),
    task: "payments",
    principal: "payments",
    url: new URL("../services/payments/consumer.ts", import.meta.url),
    module: paymentsConsumer,
  },
];

Deno.test("orders and payments - as Workers of the server, an order created over HTTP is paid", async () => {
  const world = await ordersWorld();
  const server = await startWorldServer(world);
  const grant = { dataDir: world.dataDir, brokers: [LOCAL_BROKER] };
  const workers = ENTRIES.map((entry) => startConsumerWorker(entry, grant, world.env));
  const seen: BusMessage[] = [];
  const unsubscribe = subscribe((message) => message.topic === "orders" && seen.push(message));
  try {
    await Promise.all(workers.map((w) => w.started));
    const res = await fetch(`${server.url}/api/orders`, {
      method: "POST",
      body: JSON.stringify({
        client: { id: "1", name: "João Silva" },
        items: [{ productId: "1", quantity: 1, price: 4500 }],
        total: 4500,
      }),
    });
    assert.equal(res.status, 201);
    const { id } = await res.json();
    await waitFor("the order to be PAGO", async () => {
      const order = await (await fetch(`${server.url}/api/orders/${id}`)).json();
      return order.status === "PAGO";
    });
    await waitFor("the Worker's bus note", () => seen.some((m) => m.type === "updated"));
    const updated = seen.find((m) => m.type === "updated")!.data as { id: string; status: string };
    assert.deepEqual([updated.id, updated.status], [id, "PAGO"]);

    // Idle long enough for the relay to look only every 2 s, then two more orders.
    for (const n of [2, 3]) {
      await new Promise((r) => setTimeout(r, 4_000));
      const posted = await fetch(`${server.url}/api/orders`, {
        method: "POST",
        body: JSON.stringify({
          client: { id: String(n), name: "Maria Souza" },
          items: [{ productId: "1", quantity: 1, price: 1000 }],
          total: 1000,
        }),
      });
      assert.equal(posted.status, 201);
      const order = (await posted.json()).id as string;
      const sentAfter = () =>
        withDb(world, ORDERS_SERVICE, (db) => {
          const row = db.prepare(
            "SELECT sent_at - created_at AS ms FROM outbox WHERE key = ? AND state = 'sent'",
          ).get(order) as { ms: number } | undefined;
          return row?.ms;
        });
      await waitFor(`order ${n}'s event sent`, () => sentAfter() !== undefined);
      const ms = sentAfter()!;
      assert.ok(ms < 250, `order ${n}'s event left the outbox ${ms} ms after its commit`);
    }
  } finally {
    unsubscribe();
    await Promise.all(workers.map((w) => w.stop()));
    await server.close();
    await world.close();
  }
});
