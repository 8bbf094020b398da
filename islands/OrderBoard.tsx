/**
 * The orders table of the `/orders` page, updated live from the `orders`
 * bus topic: a new order appears on top, a status change (e.g. the
 * payments service's answer) shows in its row, without reload. Every value
 * is rendered as text.
 */
import { useState } from "preact/hooks";
import { type Order, parseOrder, upsertOrder } from "../services/orders/order.ts";
import { formatMoney } from "../services/orders/money.ts";
import type { OrderStatus } from "../services/orders/status.ts";
import { useLiveStatus } from "../shared/web/live.ts";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";
import { Time } from "../shared/web/time.tsx";

/** Props of OrderBoard. */
export interface OrderBoardProps {
  /** The orders when the page was rendered, newest first. */
  orders: Order[];
  /** Only orders in this status are listed (all when absent). */
  status?: OrderStatus;
  /** Whether orders created after the render are added on top (first page only). */
  showNew: boolean;
}

/** The table of orders with a live/disconnected indicator. */
export default function OrderBoard({ orders, status, showNew }: OrderBoardProps) {
  const [rows, setRows] = useState(orders);
  const live = useLiveStatus(["orders"], (message) => {
    const order = parseOrder(message.data);
    if (!order) return;
    setRows((current) => {
      const known = current.some((o) => o.id === order.id);
      if (!known && !(showNew && message.type === "created")) return current;
      if (!known && status && order.status !== status) return current;
      return upsertOrder(current, order);
    });
  });
  return (
    <div class="board">
      <LiveIndicator status={live} />
      {rows.length === 0 ? <p class="empty">No order yet.</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Client</th>
              <th scope="col" class="num">Items</th>
              <th scope="col" class="num">Total</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((order) => (
              <tr key={order.id} data-order={order.id}>
                <th scope="row">
                  <a href={`/orders/${encodeURIComponent(order.id)}`}>{order.id}</a>
                </th>
                <td>
                  {order.clientName} <small>({order.clientId})</small>
                </td>
                <td class="num">{order.itemsCount}</td>
                <td class="num">{formatMoney(order.total)}</td>
                <td data-field="status">
                  <span class={`status status-${order.status}`}>{order.status}</span>
                </td>
                <td>
                  <Time at={order.updatedAt} relative />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
