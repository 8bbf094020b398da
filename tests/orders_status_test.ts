/**
 * The orders service's status changes: `PATCH /api/orders/:id` moves an
 * order along the allowed transitions only (409 otherwise, 404 unknown),
 * each move announced on `orders.paid` / `orders.failed` through the
 * outbox; the orders consumer never lets a late event move an order back,
 * and dead-letters an event about an order it does not know.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { ORDERS_FAILED, ORDERS_PAID } from "../services/orders/events.ts";
import type { Order } from "../services/orders/order.ts";
import { orderHistory } from "../services/orders/orders_db.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { produce, waitFor } from "./helpers.ts";
import { jsonOf, ordersWorld, readTopic, startRunner, withDb } from "./orders_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

function patch(app: Hono<WebEnv>, id: string, body: unknown): Promise<Response> {
  return Promise.resolve(app.fetch(
    new Request(`http://x/api/orders/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  ));
}

Deno.test("orders API - PATCH follows the allowed transitions, each move an event; late events never move an order back", async (t) => {
  const world = await ordersWorld();
  const { app, shutdown } = await createWorldApp(world);
  // No payments consumer here: the order stays PENDENTE until the API moves it.
  const orders = await startRunner(world, ordersConsumer.create(world.env));
  const eventsOf = async (base: string, id: string) =>
    (await readTopic(world, base)).filter((m) => m.key === id).map(jsonOf);
  try {
    const res = await app.fetch(
      new Request("http://x/api/orders", {
        method: "POST",
        body: JSON.stringify({
          client: { id: 7, name: "Maria" },
          items: [{ productId: "p-1", quantity: 3, price: 0.1 }],
          total: 0.3,
        }),
      }),
    );
    const order: Order = await res.json();

    await t.step(
      "the order's page: lines, totals in reais, the moves open; linked from /orders",
      async () => {
        const page = await app.fetch(new Request(`http://x/orders/${order.id}`));
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, /Order [^<]*</);
        assert.ok(html.includes(order.id));
        assert.match(html, /R\$ 0\.10/, "unit price");
        assert.match(html, /R\$ 0\.30/, "total");
        assert.match(html, /It can still move to PAGO or FALHA or CANCELADO/);
        assert.ok(html.includes(`href="/api/orders/${order.id}"`), "the JSON one link away");
        const list = await (await app.fetch(new Request("http://x/orders"))).text();
        assert.ok(
          list.includes(`href="/orders/${order.id}"`),
          "the list links the page, not the JSON",
        );
        assert.equal((await app.fetch(new Request("http://x/orders/no-such-order"))).status, 404);
      },
    );

    await t.step("PENDENTE → PAGO: 200 and orders.paid with the seed's fields", async () => {
      const moved = await patch(app, order.id, { status: "PAGO" });
      assert.equal(moved.status, 200);
      const body: Order = await moved.json();
      assert.equal(body.status, "PAGO");
      await waitFor("orders.paid", async () => (await eventsOf(ORDERS_PAID, order.id)).length > 0);
      assert.deepEqual(await eventsOf(ORDERS_PAID, order.id), [{
        orderId: order.id,
        clientId: "7",
        clientName: "Maria",
        status: "PAGO",
        total: 0.3,
        updatedAt: body.updatedAt,
      }]);
    });

    await t.step("asking for PAGO again: 200, nothing emitted", async () => {
      const again = await patch(app, order.id, { status: "PAGO" });
      assert.equal(again.status, 200);
      assert.equal((await again.json()).status, "PAGO");
    });

    await t.step("PAGO → FALHA: 409 naming what is allowed", async () => {
      const refused = await patch(app, order.id, { status: "FALHA" });
      assert.equal(refused.status, 409);
      assert.deepEqual(await refused.json(), {
        error: {
          status: 409,
          message: `order ${order.id} is PAGO: it can move to CANCELADO only`,
        },
      });
    });

    await t.step("PENDENTE is no target: 400 listing the problem", async () => {
      const bad = await patch(app, order.id, { status: "PENDENTE" });
      assert.equal(bad.status, 400);
      const { error } = await bad.json();
      assert.deepEqual(error.problems, ["status: expected one of PAGO, CANCELADO, FALHA"]);
    });

    await t.step("PAGO → CANCELADO: 200 and orders.failed; then CANCELADO is final", async () => {
      assert.equal((await patch(app, order.id, { status: "CANCELADO" })).status, 200);
      await waitFor(
        "orders.failed",
        async () => (await eventsOf(ORDERS_FAILED, order.id)).length > 0,
      );
      const [failed] = await eventsOf(ORDERS_FAILED, order.id);
      assert.equal(failed.status, "CANCELADO");
      assert.equal(failed.clientName, "Maria");
      const refused = await patch(app, order.id, { status: "PAGO" });
      assert.equal(refused.status, 409);
      assert.match((await refused.json()).error.message, /is CANCELADO: it is final/);
      assert.equal((await eventsOf(ORDERS_PAID, order.id)).length, 1, "no second orders.paid");
    });

    await t.step("an unknown order: 404", async () => {
      const missing = await patch(app, "no-such-order", { status: "PAGO" });
      assert.equal(missing.status, 404);
      assert.equal((await app.fetch(new Request("http://x/api/orders/no-such-order"))).status, 404);
    });

    await t.step(
      "a late orders.paid for the cancelled order is ignored, and kept in the history",
      async () => {
        await produce(world.kafka, world.topic(ORDERS_PAID), [{
          key: order.id,
          value: JSON.stringify({
            orderId: order.id,
            clientId: "7",
            clientName: null,
            status: "PAGO",
            total: 0.3,
            updatedAt: new Date().toISOString(),
          }),
        }]);
        const history = () => withDb(world, "orders-service", (db) => orderHistory(db, order.id));
        await waitFor("the late event in the history", () => history().length === 3);
        assert.deepEqual(history().map(({ from, to, outcome }) => [from, to, outcome]), [
          ["PENDENTE", "PAGO", "applied"],
          ["PAGO", "CANCELADO", "applied"],
          ["CANCELADO", "PAGO", "ignored"],
        ]);
        const now = await app.fetch(new Request(`http://x/api/orders/${order.id}`));
        assert.equal((await now.json()).status, "CANCELADO");
      },
    );

    await t.step("an event about an unknown order is dead-lettered", async () => {
      await produce(world.kafka, world.topic(ORDERS_FAILED), [{
        key: "ghost",
        value: JSON.stringify({
          orderId: "ghost",
          clientId: "1",
          clientName: "x",
          status: "FALHA",
          total: 1,
          updatedAt: new Date().toISOString(),
        }),
      }]);
      let dead: Awaited<ReturnType<typeof readTopic>> = [];
      await waitFor("the dead letter", async () => {
        dead = await readTopic(world, `${ORDERS_FAILED}.dlq`);
        return dead.length > 0;
      });
      assert.equal(dead[0].headers[DLQ_HEADERS.code], "UNKNOWN_ORDER");
      assert.equal(dead[0].key, "ghost");
    });
  } finally {
    await orders.stop();
    shutdown();
    await world.close();
  }
});
