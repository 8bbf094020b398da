/**
 * `/api/orders`: create an order (POST) and list orders (GET).
 *
 * POST takes `{client: {id, name}, items: [{productId, quantity, price}],
 * total}`; 201 with the order, stored as PENDENTE together with its
 * `orders.created` event (outbox, relayed by the orders consumer); 400
 * lists every problem. A body in seed 001's shape (`clientId` instead of
 * `client`) is taken as `POST /v1/orders` takes it (services/orders/catalog_order.ts:
 * 400 malformed, 422 unknown client or product); `/v1/orders` is an alias of
 * this route (services/orders/mod.ts) and expects that shape unless `client` is given. GET takes
 * `?status=&page=&limit=` (newest first) and answers `{orders, page,
 * limit, total}`.
 */
import { resolveCatalogOrder } from "../../../services/orders/catalog_order.ts";
import { parseNewOrder } from "../../../services/orders/new_order.ts";
import { createOrder, listOrders, type OrderDraft } from "../../../services/orders/orders_db.ts";
import { announce, ordersDb, parseListQuery } from "../../../services/orders/web/web.ts";
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";

/**
 * Whether `body` is in seed 001's shape: it has `clientId` and no
 * `client`, or (under `/v1/`, the seed's API) anything but `client`.
 */
function isSeedShape(body: unknown, url: URL): boolean {
  const has = (name: string) => typeof body === "object" && body !== null && name in body;
  if (url.pathname.startsWith("/v1/")) return !has("client") || has("clientId");
  return has("clientId") && !has("client");
}

/** The order `body` asks for, or the response listing its problems. */
function draftOf(db: DatabaseSync, body: unknown, url: URL): OrderDraft | Response {
  if (isSeedShape(body, url)) {
    const resolved = resolveCatalogOrder(db, body);
    return resolved.ok
      ? resolved.draft
      : problemsResponse("invalid order", resolved.problems, resolved.status);
  }
  const parsed = parseNewOrder(body);
  return parsed.ok ? parsed.order : problemsResponse("invalid order", parsed.problems);
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: a page of orders; POST: a new order. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const query = parseListQuery(ctx.url);
    const { orders, total } = listOrders(ordersDb(ctx.services), query);
    return Response.json({ orders, page: query.page, limit: query.limit, total });
  },
  async POST(req, ctx) {
    const db = ordersDb(ctx.services);
    const draft = draftOf(db, await readJsonBody(req), ctx.url);
    if (draft instanceof Response) return draft;
    const order = createOrder(db, draft, { topicPrefix: ctx.services.topicPrefix });
    announce("created", order);
    return Response.json(order, {
      status: 201,
      headers: {
        location: `${ctx.url.pathname.replace(/\/$/, "")}/${encodeURIComponent(order.id)}`,
      },
    });
  },
};
