/**
 * Notifications waiting to be delivered, in the alerts database: one row
 * per event and webhook (unique, so an event is never queued twice for
 * one webhook), sent by the delivery loop (delivery.ts), retried with
 * backoff, `sent` or, after the last attempt, `failed` — all shown on
 * /alerts.
 */
import { type DatabaseSync, statement } from "../../../shared/sqlite/sqlite.ts";
import type { Webhook } from "../rules/rule.ts";
import { bodyFor, type Notification } from "./bodies.ts";

/** One delivery. */
export interface Delivery {
  id: number;
  eventId: number;
  rule: string;
  instance: string;
  status: string;
  url: string;
  format: string;
  body: string;
  state: "pending" | "sent" | "failed";
  attempts: number;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

type Row = Record<string, unknown>;

function deliveryOf(r: Row): Delivery {
  return {
    id: Number(r.id),
    eventId: Number(r.event_id),
    rule: String(r.rule),
    instance: String(r.instance),
    status: String(r.status),
    url: String(r.url),
    format: String(r.format),
    body: String(r.body),
    state: r.state as Delivery["state"],
    attempts: Number(r.attempts),
    nextAt: Number(r.next_at),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: Number(r.created_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
  };
}

/** Queues `notification` of event `eventId` for each of `webhooks` (once per URL); returns the ids. */
export function enqueue(
  db: DatabaseSync,
  eventId: number,
  notification: Notification,
  webhooks: readonly Webhook[],
  now: number,
): number[] {
  const ids: number[] = [];
  const insert = statement(
    db,
    `INSERT OR IGNORE INTO deliveries (event_id, rule, instance, status, url, format, body, state,
       attempts, next_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
  );
  for (const webhook of webhooks) {
    const { changes, lastInsertRowid } = insert.run(
      eventId,
      notification.rule,
      notification.instance,
      notification.status,
      webhook.url,
      webhook.format,
      bodyFor(webhook, notification),
      now,
      now,
    );
    if (Number(changes) === 1) ids.push(Number(lastInsertRowid));
  }
  return ids;
}

/** Pending deliveries due at `now`, oldest first (at most `limit`). */
export function dueDeliveries(db: DatabaseSync, now: number, limit: number): Delivery[] {
  return (statement(
    db,
    "SELECT * FROM deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
  ).all(now, limit) as Row[]).map(deliveryOf);
}

/** When the soonest pending delivery not in `except` is due, if any. */
export function nextPendingAt(db: DatabaseSync, except: number[] = []): number | undefined {
  const row = statement(
    db,
    `SELECT MIN(next_at) AS at FROM deliveries
     WHERE state = 'pending' AND id NOT IN (SELECT value FROM json_each(?))`,
  ).get(JSON.stringify(except)) as { at: number | null } | undefined;
  return row?.at == null ? undefined : Number(row.at);
}

/** Records a delivered notification. */
export function markSent(db: DatabaseSync, id: number, now: number): void {
  statement(
    db,
    "UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?",
  ).run(now, id);
}

/** Records a failed attempt: retried at `retryAt`, or failed for good when it is null. */
export function markFailed(
  db: DatabaseSync,
  id: number,
  error: string,
  retryAt: number | null,
): void {
  statement(
    db,
    `UPDATE deliveries SET attempts = attempts + 1, last_error = ?,
       state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
       next_at = COALESCE(?, next_at) WHERE id = ?`,
  ).run(error, retryAt, retryAt, id);
}

/** The newest deliveries (at most `limit`), or those of `ids`. */
export function listDeliveries(
  db: DatabaseSync,
  options: { limit?: number; ids?: number[] } = {},
): Delivery[] {
  if (options.ids) {
    const one = statement(db, "SELECT * FROM deliveries WHERE id = ?");
    return options.ids.map((id) => one.get(id) as Row | undefined).filter((r) => r !== undefined)
      .map((r) => deliveryOf(r!));
  }
  return (statement(db, "SELECT * FROM deliveries ORDER BY id DESC LIMIT ?").all(
    options.limit ?? 50,
  ) as Row[]).map(deliveryOf);
}

/** How many deliveries are waiting, and how many failed for good. */
export function deliveryCounts(db: DatabaseSync): { pending: number; failed: number } {
  const row = statement(
    db,
    `SELECT SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
       SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed FROM deliveries`,
  ).get() as Row;
  return { pending: Number(row.pending ?? 0), failed: Number(row.failed ?? 0) };
}
