/**
 * `POST /orders/clients`: the `/orders` page's client form. Registers the
 * client (as `POST /v1/clients`) and redirects to `/orders?client=<id>`,
 * which preselects it; a refused input renders the page again (400, or
 * 409 for the CPF of another client) with the problems and values kept.
 */
import { parseNewClient } from "../../services/orders/client.ts";
import { registerClient } from "../../services/orders/clients_db.ts";
import { readClientForm } from "../../services/orders/web/catalog_forms.ts";
import { type OrdersPageData, ordersPageData } from "../../services/orders/web/orders_page.ts";
import { ordersDb } from "../../services/orders/web/web.ts";
import { Handlers, RouteAccess } from "../../shared/web/mod.ts";
import { readForm } from "../../shared/web/form_body.ts";

export { default, title } from "./index.tsx";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: the client form. */
export const handler: Handlers<OrdersPageData> = {
  async POST(req, ctx) {
    const form = await readForm(req);
    const values = readClientForm(form);
    const refuse = (problems: string[], status: number) =>
      ctx.render(ordersPageData(ctx, { clientForm: { values, problems } }), { status });
    const parsed = parseNewClient(values);
    if (!parsed.ok) return refuse(parsed.problems, 400);
    const result = registerClient(ordersDb(ctx.services), parsed.client, {
      topicPrefix: ctx.services.topicPrefix,
    });
    if (result.outcome === "conflict") {
      return refuse([`cpf: already registered to ${result.client.name} with other details`], 409);
    }
    return new Response(null, {
      status: 303,
      headers: { location: `/orders?client=${encodeURIComponent(result.client.id)}` },
    });
  },
};
