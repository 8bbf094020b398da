/**
 * The orders database, owned by the orders service: the orders, the
 * history of their status changes, and (kernel tables) the outbox and the
 * orders consumer's offsets. One module per store, plain functions.
 *
 * Routes call `createOrder` and `requestStatus`, which change the order and
 * write its event to the outbox in one transaction; the orders consumer's
 * runner relays the outbox. The consumer calls `applyStatusEvent` inside
 * its batch's transaction.
 */
import { InvalidMessageError } from "../../shared/core/errors.ts";
import { enqueue, outboxTransaction } from "../../shared/outbox/outbox.ts";
import type { DatabaseSync, Migration } from "../../shared/sqlite/sqlite.ts";
import { topicName } from "../../shared/kafka/names.ts";
import {
  orderCreatedEvent,
  ORDERS_CREATED,
  type OrderStatusEvent,
  orderStatusEvent,
  topicForStatus,
} from "./events.ts";
import { fromCents, toCents } from "./money.ts";
import type { Order, OrderItem, OrderPayment } from "./order.ts";
import { canMove, type OrderStatus, type TargetStatus, TRANSITIONS } from "./status.ts";

/** Name of the orders service: its consumer, data folder and database. */
export const ORDERS_SERVICE = "orders-service";

/** CloudEvents source of the events the orders service emits. */
export const ORDERS_SOURCE = "freshet/orders";

/** Migrations of the orders database. */
export const ORDERS_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "orders and their status history",
  up: `
    CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      client_name TEXT NOT NULL,
      total_cents INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('PENDENTE', 'PAGO', 'CANCELADO', 'FALHA')),
      items TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX orders_created ON orders (created_at DESC);
    CREATE INDEX orders_status_created ON orders (status, created_at DESC);
    -- Every status change asked for: applied, or ignored because not allowed.
    CREATE TABLE order_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      order_id TEXT NOT NULL REFERENCES orders (id),
      from_status TEXT NOT NULL,
      to_status TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'ignored')),
      source TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE INDEX order_history_order ON order_history (order_id, id);
  `,
}, {
  version: 2,
  name: "clients and products (seed 001's catalogue), payments of an order",
  up: `
    CREATE TABLE clients (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT NOT NULL,
      phone TEXT NOT NULL,
      cpf TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE INDEX clients_created ON clients (created_at DESC);
    CREATE TABLE products (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      price_cents INTEGER NOT NULL CHECK (price_cents > 0),
      quantity INTEGER NOT NULL CHECK (quantity >= 0),
      created_at TEXT NOT NULL
    );
    CREATE INDEX products_created ON products (created_at DESC);
    ALTER TABLE orders ADD COLUMN payments TEXT NOT NULL DEFAULT '[]';
  `,
}];

/** Where topics are named (`FRESHET_TOPIC_PREFIX`). */
export interface TopicOptions {
  topicPrefix: string;
}

const SELECT = `SELECT id, client_id, client_name, total_cents, status, items, payments,
  created_at, updated_at FROM orders`;

function toOrder(row: Record<string, unknown>): Order {
  const items = JSON.parse(String(row.items));
  return {
    id: String(row.id),
    clientId: String(row.client_id),
    clientName: String(row.client_name),
    total: fromCents(Number(row.total_cents)),
    status: row.status as OrderStatus,
    items,
    itemsCount: items.length,
    payments: JSON.parse(String(row.payments)),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

/** One order, or undefined. */
export function getOrder(db: DatabaseSync, id: string): Order | undefined {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id);
  return row ? toOrder(row) : undefined;
}

/** Filters and page of `listOrders`. */
export interface OrderFilter {
  status?: OrderStatus;
  /** Orders per page (default 50). */
  limit?: number;
  /** Orders skipped (default 0). */
  offset?: number;
}

/** Newest orders first, and how many match the filter in all. */
export function listOrders(
  db: DatabaseSync,
  filter: OrderFilter = {},
): { orders: Order[]; total: number } {
  const where = filter.status ? "WHERE status = ?" : "";
  const args = filter.status ? [filter.status] : [];
  const rows = db.prepare(
    `${SELECT} ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`,
  ).all(...args, filter.limit ?? 50, filter.offset ?? 0);
  const total = Number(db.prepare(`SELECT count(*) AS n FROM orders ${where}`).get(...args)!.n);
  return { orders: rows.map(toOrder), total };
}

/** The status changes of an order, oldest first. */
export function orderHistory(
  db: DatabaseSync,
  id: string,
): { from: OrderStatus; to: OrderStatus; outcome: "applied" | "ignored"; source: string }[] {
  return db.prepare(
    `SELECT from_status AS "from", to_status AS "to", outcome, source FROM order_history
     WHERE order_id = ? ORDER BY id`,
  ).all(id) as never;
}

function record(
  db: DatabaseSync,
  order: Order,
  to: OrderStatus,
  outcome: "applied" | "ignored",
  source: string,
): void {
  db.prepare(
    `INSERT INTO order_history (order_id, from_status, to_status, outcome, source, at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(order.id, order.status, to, outcome, source, new Date().toISOString());
}

function setStatus(db: DatabaseSync, id: string, status: OrderStatus, at: string): void {
  db.prepare("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?").run(status, at, id);
}

/**
 * A valid order to store: its client (id and name), items and total, and
 * how it is paid. Both request shapes (`/api/orders`, `/v1/orders`) end as one.
 */
export interface OrderDraft {
  client: { id: string; name: string };
  items: OrderItem[];
  total: number;
  payments?: OrderPayment[];
}

/**
 * Stores a new order (PENDENTE) and its `orders.created` event in one
 * transaction; returns the order.
 */
export function createOrder(db: DatabaseSync, input: OrderDraft, options: TopicOptions): Order {
  const now = new Date().toISOString();
  const order: Order = {
    id: crypto.randomUUID(),
    clientId: input.client.id,
    clientName: input.client.name,
    total: input.total,
    status: "PENDENTE",
    items: input.items,
    itemsCount: input.items.length,
    payments: input.payments ?? [],
    createdAt: now,
    updatedAt: now,
  };
  return outboxTransaction(db, ORDERS_SERVICE, () => {
    db.prepare(
      `INSERT INTO orders (id, client_id, client_name, total_cents, status, items, payments,
       created_at, updated_at) VALUES (?, ?, ?, ?, 'PENDENTE', ?, ?, ?, ?)`,
    ).run(
      order.id,
      order.clientId,
      order.clientName,
      toCents(order.total),
      JSON.stringify(order.items),
      JSON.stringify(order.payments),
      now,
      now,
    );
    enqueue(db, {
      topic: topicName({ FRESHET_TOPIC_PREFIX: options.topicPrefix }, ORDERS_CREATED),
      key: order.id,
      value: orderCreatedEvent(order),
      type: ORDERS_CREATED,
      source: ORDERS_SOURCE,
    });
    return order;
  });
}

/** Outcome of `requestStatus`. */
export type StatusRequestResult =
  | { ok: true; order: Order; changed: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; order: Order; allowed: readonly OrderStatus[] };

/**
 * Moves an order to `to` if the move is allowed, with its `orders.paid` or
 * `orders.failed` event, in one transaction. Asking for the status the
 * order already has changes nothing and emits nothing (a retried request).
 */
export function requestStatus(
  db: DatabaseSync,
  id: string,
  to: TargetStatus,
  options: TopicOptions & { source?: string },
): StatusRequestResult {
  return outboxTransaction(db, ORDERS_SERVICE, () => {
    const order = getOrder(db, id);
    if (!order) return { ok: false, reason: "not_found" };
    if (order.status === to) return { ok: true, order, changed: false };
    if (!canMove(order.status, to)) {
      return { ok: false, reason: "conflict", order, allowed: TRANSITIONS[order.status] };
    }
    const updatedAt = new Date().toISOString();
    record(db, order, to, "applied", options.source ?? "api");
    setStatus(db, id, to, updatedAt);
    const moved = { ...order, status: to, updatedAt };
    enqueue(db, {
      topic: topicName({ FRESHET_TOPIC_PREFIX: options.topicPrefix }, topicForStatus(to)),
      key: id,
      value: orderStatusEvent(moved),
      type: topicForStatus(to),
      source: ORDERS_SOURCE,
    });
    return { ok: true, order: moved, changed: true };
  });
}

/** What `applyStatusEvent` did with an event. */
export type EventOutcome = "applied" | "unchanged" | "ignored";

/**
 * Applies an `orders.paid` / `orders.failed` event (call it inside the
 * consumer's transaction). Only an allowed move is applied; the status the
 * order already has is a duplicate (`unchanged`, e.g. the service's own
 * event coming back); any other move is late or out of order and is
 * `ignored` (kept in the history), so an order never moves backwards.
 * An unknown order or a total that is not the order's can never be
 * applied: InvalidMessageError, the message is dead-lettered.
 */
export function applyStatusEvent(
  db: DatabaseSync,
  event: OrderStatusEvent,
  source: string,
): { outcome: EventOutcome; order: Order } {
  const order = getOrder(db, event.orderId);
  if (!order) {
    throw new InvalidMessageError(`no order ${event.orderId}`, "UNKNOWN_ORDER");
  }
  if (toCents(event.total) !== toCents(order.total)) {
    throw new InvalidMessageError(
      `total ${event.total} is not the order's total ${order.total}`,
      "TOTAL_MISMATCH",
    );
  }
  if (order.status === event.status) return { outcome: "unchanged", order };
  if (!canMove(order.status, event.status)) {
    record(db, order, event.status, "ignored", source);
    return { outcome: "ignored", order };
  }
  // Never earlier than the last change: another service's clock may be behind ours.
  const eventTime = new Date(event.updatedAt).toISOString();
  const updatedAt = eventTime > order.updatedAt ? eventTime : order.updatedAt;
  record(db, order, event.status, "applied", source);
  setStatus(db, order.id, event.status, updatedAt);
  return { outcome: "applied", order: { ...order, status: event.status, updatedAt } };
}
