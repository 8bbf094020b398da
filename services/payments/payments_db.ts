/**
 * The payments database: one row per order this instance decided, keyed
 * by orderId, so an `orders.created` seen again is recognised: at the same
 * offset it is the redelivery of a batch whose Kafka transaction did not
 * commit (the decision is emitted again, unchanged); at another offset it
 * is a duplicate (nothing is emitted). Plus the kernel's tables.
 */
import type { DatabaseSync, Migration } from "../../shared/sqlite/sqlite.ts";

/** Migrations of the payments database. */
export const PAYMENTS_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "payments",
  up: `
    CREATE TABLE payments (
      order_id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined')),
      reason TEXT,
      charge_id TEXT NOT NULL,
      decided_at TEXT NOT NULL,
      -- Where the deciding orders.created was read.
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      offset INTEGER NOT NULL,
      -- Later orders.created of the same order, recognised and skipped.
      duplicates INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX payments_decided ON payments (decided_at DESC);
  `,
}, {
  version: 2,
  name: "payments: client name",
  up: "ALTER TABLE payments ADD COLUMN client_name TEXT",
}];

/** A decided payment. */
export interface Payment {
  orderId: string;
  clientId: string;
  /** From the order's `orders.created`, when its producer knew it. */
  clientName: string | null;
  amountCents: number;
  outcome: "approved" | "declined";
  reason: string | null;
  chargeId: string;
  decidedAt: string;
  topic: string;
  partition: number;
  offset: number;
  duplicates: number;
}

const SELECT = `SELECT order_id AS orderId, client_id AS clientId, client_name AS clientName,
  amount_cents AS amountCents,
  outcome, reason, charge_id AS chargeId, decided_at AS decidedAt, topic, partition, offset,
  duplicates FROM payments`;

/** The payment of an order, or undefined. */
export function getPayment(db: DatabaseSync, orderId: string): Payment | undefined {
  return db.prepare(`${SELECT} WHERE order_id = ?`).get(orderId) as Payment | undefined;
}

/** Payments in the order they were decided. */
export function listPayments(db: DatabaseSync): Payment[] {
  return db.prepare(`${SELECT} ORDER BY rowid`).all() as unknown as Payment[];
}

/** Stores a decision (call it in the consumer's transaction, once per order). */
export function insertPayment(db: DatabaseSync, payment: Omit<Payment, "duplicates">): void {
  db.prepare(
    `INSERT INTO payments (order_id, client_id, client_name, amount_cents, outcome, reason,
     charge_id, decided_at, topic, partition, offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    payment.orderId,
    payment.clientId,
    payment.clientName,
    payment.amountCents,
    payment.outcome,
    payment.reason,
    payment.chargeId,
    payment.decidedAt,
    payment.topic,
    payment.partition,
    payment.offset,
  );
}

/** Counts one more `orders.created` of an order already decided. */
export function countDuplicate(db: DatabaseSync, orderId: string): void {
  db.prepare("UPDATE payments SET duplicates = duplicates + 1 WHERE order_id = ?").run(orderId);
}
