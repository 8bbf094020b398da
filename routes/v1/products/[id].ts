/** `GET /v1/products/:id`: one product; 404 when unknown. */
import { getProduct } from "../../../services/orders/products_db.ts";
import { ordersDb } from "../../../services/orders/web/web.ts";
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the product. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const product = getProduct(ordersDb(ctx.services), ctx.params.id);
    if (!product) throw new HttpError(404, `no product ${ctx.params.id}`);
    return Response.json(product);
  },
};
