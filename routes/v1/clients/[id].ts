/** `GET /v1/clients/:id`: one client; 404 when unknown. */
import { getClient } from "../../../services/orders/clients_db.ts";
import { ordersDb } from "../../../services/orders/web/web.ts";
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the client. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const client = getClient(ordersDb(ctx.services), ctx.params.id);
    if (!client) throw new HttpError(404, `no client ${ctx.params.id}`);
    return Response.json(client);
  },
};
