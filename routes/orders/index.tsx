/**
 * The orders page: a form creating an order (works without JavaScript)
 * and the orders, newest first, rendered on the server and kept live by
 * the OrderBoard island as payments answer (bus topic `orders`, via SSE).
 */
import OrderBoard from "../../islands/OrderBoard.tsx";
import type { Order } from "../../services/orders/order.ts";
import {
  emptyOrderForm,
  formProblems,
  type OrderFormValues,
  orderInputFromForm,
  readOrderForm,
} from "../../services/orders/web/order_form.ts";
import { parseNewOrder } from "../../services/orders/new_order.ts";
import { createOrder, listOrders } from "../../services/orders/orders_db.ts";
import { ORDER_STATUSES } from "../../services/orders/status.ts";
import {
  announce,
  type ListQuery,
  ordersDb,
  parseListQuery,
} from "../../services/orders/web/web.ts";
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteContext,
} from "../../shared/web/mod.ts";
import { OrderForm } from "./_order_form.tsx";

/** The page title. */
export const title = "Orders · Freshet";

/** What the page shows. */
export interface OrdersPageData {
  orders: Order[];
  total: number;
  query: ListQuery;
  form: OrderFormValues;
  problems: string[];
  /** Id of the order just created (after the form's redirect). */
  created?: string;
}

function pageData(ctx: RouteContext<OrdersPageData>): OrdersPageData {
  const query = parseListQuery(ctx.url);
  const { orders, total } = listOrders(ordersDb(ctx.services), query);
  return { orders, total, query, form: emptyOrderForm(), problems: [] };
}

/** GET: the page; POST: the form (303 to the page, or 400 with the problems). */
export const handler: Handlers<OrdersPageData> = {
  GET(_req, ctx) {
    const created = ctx.url.searchParams.get("created") ?? undefined;
    return ctx.render({ ...pageData(ctx), created });
  },
  async POST(req, ctx) {
    const form = await req.formData().catch(() => {
      throw new HttpError(400, "expected a form");
    });
    const values = readOrderForm(form);
    const parsed = parseNewOrder(orderInputFromForm(values));
    if (!parsed.ok) {
      const problems = formProblems(values, parsed.problems);
      return ctx.render({ ...pageData(ctx), form: values, problems }, { status: 400 });
    }
    const order = createOrder(ordersDb(ctx.services), parsed.order, {
      topicPrefix: ctx.services.topicPrefix,
    });
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

/** The orders page. */
export default function OrdersPage({ data, state }: PageProps<OrdersPageData>) {
  const { query, total } = data;
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
          Kafka.
        </p>
      </header>
      {data.created && (
        <p class="notice" role="status">
          Order <code>{data.created}</code> created.
        </p>
      )}
      <section aria-labelledby="new-order-title">
        <h2 id="new-order-title">New order</h2>
        <OrderForm values={data.form} problems={data.problems} csrfToken={state.csrfToken} />
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
