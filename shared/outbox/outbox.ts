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
import { Buffer } from "node:buffer";
import type { Producer } from "kafkajs";
import { cloudEventHeaders } from "../kafka/cloudevents.ts";
import { createLogger } from "../core/log.ts";
import { type DatabaseSync, type Migration, statement, transaction } from "../sqlite/sqlite.ts";

const log = createLogger("outbox");

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

/** Writes `event` to the outbox; call it inside the state change's transaction. */
export function enqueue(db: DatabaseSync, event: OutboxEvent): string {
  const id = event.id ?? crypto.randomUUID();
  const now = Date.now();
  const headers = cloudEventHeaders(
    { id, type: event.type, source: event.source, time: new Date(now).toISOString() },
    event.headers,
  );
  const value = event.value === null
    ? null
    : event.value instanceof Uint8Array
    ? event.value
    : new TextEncoder().encode(JSON.stringify(event.value));
  statement(
    db,
    "INSERT INTO outbox (event_id, topic, key, value, headers, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(id, event.topic, event.key, value, JSON.stringify(headers), now);
  return id;
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
 * Finds which of `rows` (left `sending` by a crash) are already in Kafka;
 * returns their event ids.
 */
export type OutboxRecovery = (rows: OutboxRow[]) => Promise<Set<string>>;

/** Options of the relay. */
export interface OutboxRelayOptions {
  /** How often to look for new rows when not notified (default 200 ms). */
  pollMs?: number;
  /** Rows sent per round (default 500). */
  batchSize?: number;
  /** Checks the log for rows a crash left `sending`. */
  recover: OutboxRecovery;
  /** Called after rows are marked sent. */
  onSent?: (rows: OutboxRow[]) => void;
  /** Called just before rows are sent (tests use it to simulate a crash). */
  beforeSend?: (rows: OutboxRow[]) => void | Promise<void>;
  /** Called after Kafka acknowledged rows, before they are marked sent (tests: crash). */
  afterSend?: (rows: OutboxRow[]) => void | Promise<void>;
}

/** Relays unsent outbox rows to Kafka until stopped. */
export class OutboxRelay {
  #db: DatabaseSync;
  #producer: Producer;
  #options:
    & Required<Omit<OutboxRelayOptions, "onSent" | "beforeSend" | "afterSend">>
    & OutboxRelayOptions;
  #running = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  #sent = 0;

  constructor(db: DatabaseSync, producer: Producer, options: OutboxRelayOptions) {
    this.#db = db;
    this.#producer = producer;
    this.#options = { pollMs: 200, batchSize: 500, ...options };
  }

  /** Events sent since start. */
  get sent(): number {
    return this.#sent;
  }

  /** Starts relaying in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Wakes the relay now (after a transaction that enqueued events). */
  notify(): void {
    this.#wake?.();
  }

  /** Stops after the round in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Sends everything unsent now; returns how many events went to Kafka (recovered ones excluded). */
  async flush(): Promise<number> {
    const before = this.#sent;
    while (await this.#round() > 0) { /* until nothing is left */ }
    return this.#sent - before;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      try {
        const n = await this.#round();
        failures = 0;
        if (n > 0) continue;
      } catch (error) {
        failures++;
        log.warn("relay round failed; will retry", { error, failures });
      }
      const delay = failures === 0
        ? this.#options.pollMs
        : Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** One round; returns how many rows it settled (sent or found already sent). */
  async #round(): Promise<number> {
    let rows = this.#db.prepare(
      `SELECT id, event_id, topic, key, value, headers, state, sending_since
       FROM outbox WHERE state != 'sent' ORDER BY id LIMIT ?`,
    ).all(this.#options.batchSize) as unknown as OutboxRow[];
    if (rows.length === 0) return 0;

    const leftovers = rows.filter((r) => r.state === "sending");
    if (leftovers.length > 0) {
      const found = await this.#options.recover(leftovers);
      const already = rows.filter((r) => found.has(r.event_id));
      if (already.length > 0) {
        log.info("found events sent before a crash; not sending them again", {
          count: already.length,
        });
        this.#markSent(already);
        rows = rows.filter((r) => !found.has(r.event_id));
        if (rows.length === 0) return already.length;
      }
    }

    const now = Date.now();
    transaction(this.#db, () => {
      const mark = this.#db.prepare(
        "UPDATE outbox SET state = 'sending', sending_since = ? WHERE id = ? AND state = 'pending'",
      );
      for (const row of rows) mark.run(now, row.id);
    });
    await this.#options.beforeSend?.(rows);

    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    await this.#producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicRows]) => ({
        topic,
        messages: topicRows.map((r) => ({
          key: r.key,
          value: r.value === null ? null : Buffer.from(r.value),
          headers: JSON.parse(r.headers),
        })),
      })),
    });
    await this.#options.afterSend?.(rows);
    this.#markSent(rows);
    this.#sent += rows.length;
    this.#options.onSent?.(rows);
    return rows.length;
  }

  #markSent(rows: OutboxRow[]): void {
    const now = Date.now();
    transaction(this.#db, () => {
      const mark = this.#db.prepare("UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?");
      for (const row of rows) mark.run(now, row.id);
    });
  }
}
