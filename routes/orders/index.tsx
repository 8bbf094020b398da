/**
 * The orders page: pick a client and products and create an order (works
 * without JavaScript), register clients and products, and see the orders,
 * newest first, rendered on the server and kept live by the OrderBoard
 * island as payments answer (bus topic `orders`, via SSE).
 */
import OrderBoard from "../../islands/OrderBoard.tsx";
import { resolveCatalogOrder } from "../../services/orders/catalog_order.ts";
import { createOrder } from "../../services/orders/orders_db.ts";
import { getProduct } from "../../services/orders/products_db.ts";
import { ORDER_STATUSES } from "../../services/orders/status.ts";
import {
  formProblems,
  orderInputFromForm,
  readOrderForm,
} from "../../services/orders/web/order_form.ts";
import { type OrdersPageData, ordersPageData } from "../../services/orders/web/orders_page.ts";
import { announce, type ListQuery, ordersDb } from "../../services/orders/web/web.ts";
import { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { ClientForm, ProductForm } from "./_catalog_forms.tsx";
import { OrderForm } from "./_order_form.tsx";
import { readForm } from "../../shared/web/form_body.ts";

/** The page title. */
export const title = "Orders · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the page; POST: the order form (303 to the page, or 400/422 with the problems). */
export const handler: Handlers<OrdersPageData> = {
  GET(_req, ctx) {
    return ctx.render(ordersPageData(ctx));
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const values = readOrderForm(form);
    const db = ordersDb(ctx.services);
    const input = orderInputFromForm(values, (id) => getProduct(db, id));
    const resolved = input.ok
      ? resolveCatalogOrder(db, input.input)
      : { ok: false as const, status: 400, problems: input.problems };
    if (!resolved.ok) {
      const orderForm = { values, problems: formProblems(resolved.problems) };
      return ctx.render(ordersPageData(ctx, { orderForm }), { status: resolved.status });
    }
    const order = createOrder(db, resolved.draft, { topicPrefix: ctx.services.topicPrefix });
    announce("created", order);
    return new Response(null, {
      status: 303,
      headers: { location: `/orders?created=${encodeURIComponent(order.id)}` },
    });
  },
};

function pageLink(query: ListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (page > 1) params.set("page", String(page));
  if (query.limit !== 50) params.set("limit", String(query.limit));
  const search = params.toString();
  return search ? `/orders?${search}` : "/orders";
}

const NOTICES = {
  order: "Order",
  client: "Client",
  product: "Product",
};

/** The orders page. */
export default function OrdersPage({ data, state }: PageProps<OrdersPageData>) {
  const { query, total, notice } = data;
  const pages = Math.max(1, Math.ceil(total / query.limit));
  return (
    <main class="page">
      <header>
        <h1>Orders</h1>
        <p class="lead">
          Creating an order publishes{" "}
          <code>orders.created</code>; the payments service charges it and answers on{" "}
          <code>orders.paid</code> or{" "}
          <code>orders.failed</code>, and the status below follows — the services talk only through
          Kafka. Clients and products are published to the compacted topics <code>clients</code> and
          {" "}
          <code>products</code>.
        </p>
      </header>
      {notice && (
        <p class="notice" role="status">
          {NOTICES[notice.kind]} <code>{notice.label}</code>{" "}
          {notice.kind === "order" ? "created" : "registered"}.
        </p>
      )}
      <section aria-labelledby="new-order-title">
        <h2 id="new-order-title">New order</h2>
        <OrderForm
          values={data.orderForm.values}
          problems={data.orderForm.problems}
          clients={data.clients}
          products={data.products}
          csrfToken={state.csrfToken}
        />
      </section>
      <section aria-labelledby="catalog-title">
        <h2 id="catalog-title">Clients and products</h2>
        <p>
          {data.clients.length} client{data.clients.length === 1 ? "" : "s"}, {data.products.length}
          {" "}
          product{data.products.length === 1 ? "" : "s"} (
          <a href="/v1/clients">/v1/clients</a>, <a href="/v1/products">/v1/products</a>).
        </p>
        <ClientForm
          state={data.clientForm}
          open={data.clients.length === 0}
          csrfToken={state.csrfToken}
        />
        <ProductForm
          state={data.productForm}
          open={data.products.length === 0}
          csrfToken={state.csrfToken}
        />
      </section>
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">Orders</h2>
        <nav class="filters" aria-label="Filter by status">
          <a href="/orders" aria-current={query.status ? undefined : "page"}>All</a>
          {ORDER_STATUSES.map((status) => (
            <a
              key={status}
              href={`/orders?status=${status}`}
              aria-current={query.status === status ? "page" : undefined}
            >
              {status}
            </a>
          ))}
        </nav>
        <OrderBoard
          orders={data.orders}
          status={query.status}
          showNew={query.page === 1}
        />
        <nav class="pager" aria-label="Pages">
          {query.page > 1 && <a href={pageLink(query, query.page - 1)}>Newer</a>}{" "}
          <span>
            Page {query.page} of {pages} ({total} orders)
          </span>{" "}
          {query.page < pages && <a href={pageLink(query, query.page + 1)}>Older</a>}
        </nav>
      </section>
      <footer>
        <a href="/">Home</a> · <a href="/api/orders">API</a>
      </footer>
    </main>
  );
}
