/**
 * The transactional outbox: an event is written to the service's SQLite in
 * the same transaction as the state change it announces, then relayed to
 * Kafka by the idempotent producer and marked sent.
 *
 * A row is marked `sending` before its send. After a crash, rows still
 * `sending` may or may not have reached Kafka: the relay asks `recover` (which
 * reads the topics from just before the send) which of their ids are already
 * in the log, marks those sent, and sends only the others. So an event is
 * sent once, even if the process is killed between commit and send or
 * between send and mark.
 */
import { cloudEventHeaders } from "../kafka/cloudevents.ts";
import { publish } from "../bus/bus.ts";
import { type DatabaseSync, type Migration, statement, transaction } from "../sqlite/sqlite.ts";

/** Migration creating the outbox table; include it in a service's migrations. */
export const OUTBOX_MIGRATION: Migration = {
  version: 900,
  name: "outbox",
  up: `
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      topic TEXT NOT NULL,
      key TEXT,
      value BLOB,
      headers TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent')),
      sending_since INTEGER,
      sent_at INTEGER
    );
    CREATE INDEX outbox_unsent ON outbox (id) WHERE state != 'sent';
  `,
};

/** An event to relay. `value` is JSON-encoded unless it is bytes or null (tombstone). */
export interface OutboxEvent {
  topic: string;
  key: string | null;
  value: unknown;
  /** CloudEvents type, e.g. `demands.assumed`. */
  type: string;
  /** CloudEvents source, e.g. `freshet/doctor`. */
  source: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Event id; a random UUID when absent. */
  id?: string;
}

/** An event as the Kafka message that carries it (CloudEvents headers, JSON value). */
export interface EventMessage {
  id: string;
  topic: string;
  key: string | null;
  value: Uint8Array | null;
  headers: Record<string, string>;
}

/** The message of `event`, stamped at `now`. */
export function eventMessage(event: OutboxEvent, now = Date.now()): EventMessage {
  const id = event.id ?? crypto.randomUUID();
  const headers = cloudEventHeaders(
    { id, type: event.type, source: event.source, time: new Date(now).toISOString() },
    event.headers,
  );
  const value = event.value === null
    ? null
    : event.value instanceof Uint8Array
    ? event.value
    : new TextEncoder().encode(JSON.stringify(event.value));
  return { id, topic: event.topic, key: event.key, value, headers };
}

/** Writes `event` to the outbox; call it inside the state change's transaction. */
export function enqueue(db: DatabaseSync, event: OutboxEvent): string {
  const now = Date.now();
  const message = eventMessage(event, now);
  statement(
    db,
    "INSERT INTO outbox (event_id, topic, key, value, headers, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(
    message.id,
    message.topic,
    message.key,
    message.value,
    JSON.stringify(message.headers),
    now,
  );
  return message.id;
}

/** Bus topic of `outboxTransaction`'s announcements (`data.database`: the relaying consumer's name). */
export const OUTBOX_BUS_TOPIC = "outbox";

/**
 * `fn` in a transaction on a database whose outbox a consumer's relay sends
 * (its name: `database`), from another thread — a web route writing the
 * orders database that the orders consumer Worker relays. Once committed,
 * the relay is told on the bus, so the events go out at once instead of at
 * its next look (it looks less often when idle; a relay in another process
 * does not hear the bus and finds them at that next look, within 2 s).
 */
export function outboxTransaction<T>(db: DatabaseSync, database: string, fn: () => T): T {
  const result = transaction(db, fn);
  publish(OUTBOX_BUS_TOPIC, "enqueued", { database });
  return result;
}

/** How far behind the relay is. */
export interface OutboxBacklog {
  /** Events not sent yet. */
  unsent: number;
  /** When the oldest of them was written (ms since the epoch), if any. */
  oldestCreatedAt?: number;
}

/** The outbox's backlog (uses the index of unsent rows). */
export function outboxBacklog(db: DatabaseSync): OutboxBacklog {
  const row = statement(
    db,
    "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state != 'sent'",
  ).get()!;
  return {
    unsent: Number(row.n),
    oldestCreatedAt: row.oldest === null ? undefined : Number(row.oldest),
  };
}

/** A row waiting to be sent. */
export interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  key: string | null;
  value: Uint8Array | null;
  headers: string;
  state: "pending" | "sending";
  sending_since: number | null;
}

/**
 * Finds which of `rows` (left `sending` by a crash or a failed send) are
 * already in Kafka; returns their event ids.
 */
export type OutboxRecovery = (rows: OutboxRow[]) => Promise<Set<string>>;
