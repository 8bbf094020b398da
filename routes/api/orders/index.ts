/**
 * `/api/orders`: create an order (POST) and list orders (GET).
 *
 * POST takes `{client: {id, name}, items: [{productId, quantity, price}],
 * total}`; 201 with the order, stored as PENDENTE together with its
 * `orders.created` event (outbox, relayed by the orders consumer); 400
 * lists every problem. GET takes `?status=&page=&limit=` (newest first)
 * and answers `{orders, page, limit, total}`.
 */
import { parseNewOrder } from "../../../services/orders/new_order.ts";
import { createOrder, listOrders } from "../../../services/orders/orders_db.ts";
import { announce, ordersDb, parseListQuery } from "../../../services/orders/web/web.ts";
import { type Handlers, problemsResponse, readJsonBody } from "../../../shared/web/mod.ts";

/** GET: a page of orders; POST: a new order. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const query = parseListQuery(ctx.url);
    const { orders, total } = listOrders(ordersDb(ctx.services), query);
    return Response.json({ orders, page: query.page, limit: query.limit, total });
  },
  async POST(req, ctx) {
    const parsed = parseNewOrder(await readJsonBody(req));
    if (!parsed.ok) return problemsResponse("invalid order", parsed.problems);
    const order = createOrder(ordersDb(ctx.services), parsed.order, {
      topicPrefix: ctx.services.topicPrefix,
    });
    announce("created", order);
    return Response.json(order, {
      status: 201,
      headers: { location: `/api/orders/${encodeURIComponent(order.id)}` },
    });
  },
};
