/**
 * `/api/orders/:id`: one order (GET) and its status changes (PATCH); also at
 * `/v1/orders/:id` (seed 001's step 7; an alias, services/orders/mod.ts).
 *
 * PATCH takes `{status: "PAGO" | "CANCELADO" | "FALHA"}`. An allowed move
 * (services/orders/status.ts) is stored with its `orders.paid` or
 * `orders.failed` event in one transaction: 200 with the order. The
 * status the order already has: 200, nothing emitted (a retried request).
 * Any other move: 409. Unknown order: 404. Bad body: 400 listing problems.
 */
import { issueLines } from "../../../services/orders/new_order.ts";
import { getOrder, requestStatus } from "../../../services/orders/orders_db.ts";
import { announce, ordersDb, statusChangeSchema } from "../../../services/orders/web/web.ts";
import {
  type Handlers,
  HttpError,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the order; PATCH: move it to another status. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const order = getOrder(ordersDb(ctx.services), ctx.params.id);
    if (!order) throw new HttpError(404, `no order ${ctx.params.id}`);
    return Response.json(order);
  },
  async PATCH(req, ctx) {
    const body = statusChangeSchema.safeParse(await readJsonBody(req));
    if (!body.success) return problemsResponse("invalid status change", issueLines(body.error));
    const result = requestStatus(ordersDb(ctx.services), ctx.params.id, body.data.status, {
      topicPrefix: ctx.services.topicPrefix,
    });
    if (!result.ok && result.reason === "not_found") {
      throw new HttpError(404, `no order ${ctx.params.id}`);
    }
    if (!result.ok) {
      const { order, allowed } = result;
      const next = allowed.length ? `it can move to ${allowed.join(" or ")} only` : "it is final";
      throw new HttpError(409, `order ${order.id} is ${order.status}: ${next}`);
    }
    if (result.changed) announce("updated", result.order);
    return Response.json(result.order);
  },
};
