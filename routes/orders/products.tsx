/**
 * `POST /orders/products`: the `/orders` page's product form. Registers
 * the product (as `POST /v1/products`) and redirects to
 * `/orders?product=<id>`, which preselects it in the order form; a refused
 * input renders the page again (400) with the problems and values kept.
 */
import { parseNewProduct } from "../../services/orders/product.ts";
import { createProduct } from "../../services/orders/products_db.ts";
import { productInputFromForm, readProductForm } from "../../services/orders/web/catalog_forms.ts";
import { type OrdersPageData, ordersPageData } from "../../services/orders/web/orders_page.ts";
import { ordersDb } from "../../services/orders/web/web.ts";
import { Handlers, RouteAccess } from "../../shared/web/mod.ts";
import { readForm } from "../../shared/web/form_body.ts";

export { default, title } from "./index.tsx";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: the product form. */
export const handler: Handlers<OrdersPageData> = {
  async POST(req, ctx) {
    const form = await readForm(req);
    const values = readProductForm(form);
    const parsed = parseNewProduct(productInputFromForm(values));
    if (!parsed.ok) {
      return ctx.render(
        ordersPageData(ctx, { productForm: { values, problems: parsed.problems } }),
        { status: 400 },
      );
    }
    const product = createProduct(ordersDb(ctx.services), parsed.product, {
      topicPrefix: ctx.services.topicPrefix,
    });
    return new Response(null, {
      status: 303,
      headers: { location: `/orders?product=${encodeURIComponent(product.id)}` },
    });
  },
};
