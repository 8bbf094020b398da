/**
 * `/v1/products` (seed 001): register a product (POST) and list products
 * (GET).
 *
 * POST takes `{name, description, price, quantity}`: 201 with the product
 * (`id`, `Location`), stored with its `products` event in one transaction;
 * bad body: 400 listing every problem. GET takes `?page=&limit=` and
 * answers `{products, page, limit, total}`, newest first.
 */
import { parseNewProduct } from "../../../services/orders/product.ts";
import { createProduct, listProducts } from "../../../services/orders/products_db.ts";
import { ordersDb, parsePageQuery } from "../../../services/orders/web/web.ts";
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: a page of products; POST: a new product. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const query = parsePageQuery(ctx.url);
    const { products, total } = listProducts(ordersDb(ctx.services), query);
    return Response.json({ products, page: query.page, limit: query.limit, total });
  },
  async POST(req, ctx) {
    const parsed = parseNewProduct(await readJsonBody(req));
    if (!parsed.ok) return problemsResponse("invalid product", parsed.problems);
    const product = createProduct(ordersDb(ctx.services), parsed.product, {
      topicPrefix: ctx.services.topicPrefix,
    });
    return Response.json(product, {
      status: 201,
      headers: { location: `/v1/products/${encodeURIComponent(product.id)}` },
    });
  },
};
