/**
 * An order as the API returns it, the bus carries it and the `/orders`
 * page shows it. This module is imported by islands: it must stay free of
 * server-only code (no zod, no SQLite).
 */
import { isOrderStatus, type OrderStatus } from "./status.ts";

/** One line of an order. */
export interface OrderItem {
  productId: string;
  quantity: number;
  /** Unit price. */
  price: number;
  /** The product's name, when the order was placed from the catalogue. */
  name?: string;
}

/** One payment of an order (seed 001): a payment type and the amount paid with it. */
export interface OrderPayment {
  typePaymentId: number;
  amount: number;
}

/** An order. */
export interface Order {
  id: string;
  clientId: string;
  clientName: string;
  total: number;
  status: OrderStatus;
  items: OrderItem[];
  itemsCount: number;
  /** How the order is paid (empty when not given); the amounts add up to `total`. */
  payments: OrderPayment[];
  createdAt: string;
  updatedAt: string;
}

/** Bus topic of order changes (`created`, `updated`), relayed to browsers. */
export const ORDERS_BUS_TOPIC = "orders";

/**
 * An order that arrived from the bus in the browser, where it was not
 * validated: undefined unless it has the fields the page shows.
 */
export function parseOrder(data: unknown): Order | undefined {
  const o = data as Partial<Order> | null;
  if (typeof o?.id !== "string" || !isOrderStatus(o.status)) return undefined;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    id: o.id,
    clientId: text(o.clientId),
    clientName: text(o.clientName),
    total: typeof o.total === "number" ? o.total : 0,
    status: o.status,
    items: Array.isArray(o.items) ? o.items : [],
    itemsCount: typeof o.itemsCount === "number" ? o.itemsCount : 0,
    payments: Array.isArray(o.payments) ? o.payments : [],
    createdAt: text(o.createdAt),
    updatedAt: text(o.updatedAt),
  };
}

/**
 * `orders` with `order` put in: replaced where its id already is (so a
 * late `created` never hides a newer `updated`, the newer `updatedAt`
 * wins), else added on top.
 */
export function upsertOrder(orders: Order[], order: Order): Order[] {
  const index = orders.findIndex((o) => o.id === order.id);
  if (index < 0) return [order, ...orders];
  if (orders[index].updatedAt > order.updatedAt) return orders;
  return orders.map((o, i) => (i === index ? order : o));
}
