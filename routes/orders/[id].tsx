/**
 * `/orders/:id`: one order as a page — its client, status and the moves
 * still open to it, its lines with prices, its payments and times — where
 * the orders list links (it linked to the raw JSON before). The JSON is
 * one link away (`/api/orders/:id`).
 */
import { formatMoney } from "../../services/orders/money.ts";
import type { Order } from "../../services/orders/order.ts";
import { getOrder } from "../../services/orders/orders_db.ts";
import { TRANSITIONS } from "../../services/orders/status.ts";
import { ordersDb } from "../../services/orders/web/web.ts";
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
} from "../../shared/web/mod.ts";
import { Time } from "../../shared/web/time.tsx";

/** The page title. */
export const title = "Order · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the order's page; 404 for an unknown id. */
export const handler: Handlers<Order> = {
  GET(_req, ctx) {
    const order = getOrder(ordersDb(ctx.services), ctx.params.id);
    if (!order) throw new HttpError(404, `no order ${ctx.params.id}`);
    return ctx.render(order);
  },
};

/** The order's page. */
export default function OrderPage({ data: order }: PageProps<Order>) {
  const json = `/api/orders/${encodeURIComponent(order.id)}`;
  const moves = TRANSITIONS[order.status];
  return (
    <main class="page">
      <header>
        <p class="muted">
          <a href="/orders">Orders</a> ›
        </p>
        <h1 class="break">Order {order.id}</h1>
        <p class="lead">
          <span class={`status status-${order.status}`}>{order.status}</span> ·{" "}
          <strong>{formatMoney(order.total)}</strong> · {order.clientName}{" "}
          <small>({order.clientId})</small>
        </p>
      </header>
      <section aria-labelledby="items-title">
        <h2 id="items-title">Items</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Quantity</th>
              <th scope="col" class="num">Unit price</th>
              <th scope="col" class="num">Line total</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item, i) => (
              <tr key={i}>
                <th scope="row">
                  {item.name ?? item.productId}
                  {item.name && <small class="muted">({item.productId})</small>}
                </th>
                <td class="num">{item.quantity}</td>
                <td class="num">{formatMoney(item.price)}</td>
                <td class="num">{formatMoney(item.price * item.quantity)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>Total</th>
              <td class="num">
                <strong>{formatMoney(order.total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
      {order.payments.length > 0 && (
        <section aria-labelledby="payments-title">
          <h2 id="payments-title">Payments</h2>
          <ul>
            {order.payments.map((p, i) => (
              <li key={i}>
                payment type {p.typePaymentId}: {formatMoney(p.amount)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <p>
          Created <Time at={order.createdAt} />, last changed{" "}
          <Time at={order.updatedAt} relative />. {moves.length > 0
            ? `It can still move to ${moves.join(" or ")} (PATCH ${json}).`
            : "Its status is final."}
        </p>
      </section>
      <p class="muted">
        <a href="/orders">All orders</a> · <a href={json}>JSON</a>
      </p>
    </main>
  );
}
