/**
 * The outbox relay: sends a database's unsent outbox rows to Kafka, in
 * order per topic, and marks them sent.
 *
 * - One relay per database: the service's folder lock (one process) and,
 *   within the process, one round at a time (the loop, `flush()` and
 *   `stop()` never overlap). A round claims its rows (`pending` →
 *   `sending`) before sending them.
 * - Each send has a deadline. A send that fails or times out leaves its
 *   rows `sending`: their outcome is unknown, so the topic is read back
 *   (`recover`) and only what is not there is sent again. The producer of
 *   a failed send is replaced and disconnected (bounded), and its topic
 *   is set aside for `settleMs` first: a request it had already written
 *   may still reach the broker, and a recovery read before it lands would
 *   send those rows a second time. If the abandoned send resolves after
 *   all, its rows are marked sent.
 * - A topic that fails is set aside with its error and retried with
 *   capped backoff; the other topics go on. A missing topic is named as
 *   such (`outbox target topic X does not exist`), not retried silently.
 * - `stats()` gives the backlog, the age of the oldest unsent event and the
 *   failing topics, for `/health` and `/metrics`.
 * - `stop()` ends within its deadline whatever the broker does: the round
 *   in progress, the flush and the disconnect share it; rows left unsent
 *   stay in the outbox for the next start.
 */
import { Buffer } from "node:buffer";
import type { Kafka, Producer } from "kafkajs";
import { errorMessage } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";
import { createIdempotentProducer } from "../kafka/client.ts";
import { isMissingTopic, withTimeout } from "../kafka/errors.ts";
import { PartitionUnknownError } from "../kafka/partitioned_send.ts";
import { type DatabaseSync, statement, transaction } from "../sqlite/sqlite.ts";
import { outboxBacklog, type OutboxRecovery, type OutboxRow } from "./outbox.ts";

const log = createLogger("outbox");

/**
 * A relay's longest idle wait when a writer may not notify it: a consumer
 * run as its own process does not hear the server's bus, so the orders the
 * web routes write wait for its next look.
 */
export const IDLE_POLL_MS = 2_000;

/**
 * A relay's longest idle wait when every writer of its database notifies
 * it — a consumer Worker of the server: its runner notifies after a batch
 * that enqueued, the web routes over the host's bus after their commit
 * (outboxTransaction). Its looks only guard against a missed note, so an
 * idle Worker does not wake every 2 s to find nothing.
 */
export const NOTIFIED_IDLE_POLL_MS = 30_000;

/** Options of the relay. */
export interface OutboxRelayOptions {
  /** Checks the log for rows whose send outcome is unknown. */
  recover: OutboxRecovery;
  /** How soon to look again after a round that found nothing (default 200 ms). */
  pollMs?: number;
  /**
   * The longest wait between looks when rounds keep finding nothing
   * (default IDLE_POLL_MS): the wait doubles from `pollMs` up to it, and is
   * back to `pollMs` after a round that sent something or a `notify()`.
   * Writers of this process notify; this bounds what a writer elsewhere
   * waits (NOTIFIED_IDLE_POLL_MS where every writer notifies).
   */
  idlePollMs?: number;
  /** Rows sent per round (default 500). */
  batchSize?: number;
  /** Longest wait for Kafka to acknowledge one topic's rows (default 15 000 ms). */
  sendTimeoutMs?: number;
  /** Longest pause of a failing topic between tries (default 30 000 ms). */
  maxBackoffMs?: number;
  /**
   * How long a topic waits after a send was abandoned before its rows are
   * read back (default 30 000 ms, Kafka's request timeout): what the
   * dropped producer had written reaches the broker within it.
   */
  settleMs?: number;
  /** Sent rows are deleted after this long (default 1 h). */
  keepSentMs?: number;
  /** Called after rows are marked sent. */
  onSent?: (rows: OutboxRow[]) => void;
  /** Called just before rows are sent (tests use it to simulate a crash). */
  beforeSend?: (rows: OutboxRow[]) => void | Promise<void>;
  /** Called after Kafka acknowledged rows, before they are marked sent (tests: crash). */
  afterSend?: (rows: OutboxRow[]) => void | Promise<void>;
}

/** A topic the relay could not send to, and until when it waits. */
interface FailingTopic {
  error: string;
  failures: number;
  retryAt: number;
}

/** What `/health` and `/metrics` show of a relay. */
export interface OutboxStats {
  /** Events not sent yet. */
  unsent: number;
  /** Age of the oldest unsent event, in milliseconds (0 when none). */
  oldestUnsentMs: number;
  /** Topics whose sends fail, with the last error. */
  failingTopics: { topic: string; error: string }[];
  /** Events sent since the relay started. */
  sent: number;
}

const PRODUCER_RETRIES = 5;

/** Waits for `promise` at most `ms` (it is left running after). */
async function bounded(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/** Relays unsent outbox rows to Kafka until stopped. */
export class OutboxRelay {
  #db: DatabaseSync;
  #kafka: Kafka;
  #options:
    & Required<Omit<OutboxRelayOptions, "onSent" | "beforeSend" | "afterSend">>
    & OutboxRelayOptions;
  #producer?: Producer;
  #running = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  #sent = 0;
  #failing = new Map<string, FailingTopic>();
  #turn: Promise<unknown> = Promise.resolve();
  #lastPrune = 0;
  /** How long the loop waits after an empty round (grows while idle). */
  #idleWaitMs = 0;
  /** Topics whose send was abandoned, until when their rows are left alone. */
  #settling = new Map<string, number>();

  constructor(db: DatabaseSync, kafka: Kafka, options: OutboxRelayOptions) {
    this.#db = db;
    this.#kafka = kafka;
    this.#options = {
      pollMs: 200,
      idlePollMs: IDLE_POLL_MS,
      batchSize: 500,
      sendTimeoutMs: 15_000,
      maxBackoffMs: 30_000,
      settleMs: 30_000,
      keepSentMs: 3_600_000,
      ...options,
    };
  }

  /** Events sent since start. */
  get sent(): number {
    return this.#sent;
  }

  /** The backlog and the failing topics. */
  stats(now = Date.now()): OutboxStats {
    const backlog = outboxBacklog(this.#db);
    return {
      unsent: backlog.unsent,
      oldestUnsentMs: backlog.oldestCreatedAt === undefined
        ? 0
        : Math.max(0, now - backlog.oldestCreatedAt),
      failingTopics: [...this.#failing].map(([topic, f]) => ({ topic, error: f.error })),
      sent: this.#sent,
    };
  }

  /** Starts relaying in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Wakes the relay now (after a transaction that enqueued events). */
  notify(): void {
    this.#idleWaitMs = this.#options.pollMs;
    this.#wake?.();
  }

  /**
   * Ends the loop, then sends what is left and disconnects, all within
   * `deadlineMs` (default 10 s) whatever the broker does. Rows left unsent
   * stay in the outbox for the next start.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    const left = (reserveMs: number) => Math.max(0, deadline - Date.now() - reserveMs);
    this.#running = false;
    this.#wake?.();
    await bounded(this.#loop, left(1_000));
    await bounded(
      this.flush().catch((error) => log.warn("outbox not flushed", { error })),
      left(1_000),
    );
    await bounded(this.#dropProducer(), left(0));
  }

  /**
   * Sends everything unsent now; returns how many events went to Kafka
   * (recovered ones excluded). Throws when a topic fails.
   */
  flush(): Promise<number> {
    return this.#exclusive(async () => {
      const before = this.#sent;
      this.#failing.clear();
      for (;;) {
        const settled = await this.#round();
        const failure = [...this.#failing.values()][0];
        if (failure) throw new Error(failure.error);
        if (settled === 0) break;
      }
      return this.#sent - before;
    });
  }

  /** Runs `fn` after every round or flush in progress (one at a time). */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(fn, fn);
    this.#turn = run.catch(() => {});
    return run;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let settled = 0;
      try {
        settled = await this.#exclusive(() => this.#round());
      } catch (error) {
        log.warn("relay round failed; will retry", { error });
      }
      if (settled > 0) {
        this.#idleWaitMs = this.#options.pollMs;
        continue;
      }
      const wait = this.#idleWaitMs || this.#options.pollMs;
      this.#idleWaitMs = Math.min(
        wait * 2,
        Math.max(this.#options.idlePollMs, this.#options.pollMs),
      );
      // A failing topic's next try and a settling topic's read-back are not left to the idle wait.
      const now = Date.now();
      const due = [...[...this.#failing.values()].map((f) => f.retryAt), ...this.#settling.values()]
        .filter((at) => at > now);
      const delay = Math.min(wait, ...due.map((at) => at - now));
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
    const now = Date.now();
    this.#prune(now);
    const waiting = [
      ...[...this.#failing].filter(([, f]) => f.retryAt > now).map(([t]) => t),
      ...[...this.#settling].filter(([, until]) => until > now).map(([t]) => t),
    ];
    const rows = statement(
      this.#db,
      `SELECT id, event_id, topic, key, value, headers, state, sending_since
       FROM outbox WHERE state != 'sent'
       AND topic NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?`,
    ).all(JSON.stringify(waiting), this.#options.batchSize) as unknown as OutboxRow[];
    if (rows.length === 0) return 0;

    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    let settled = 0;
    for (const [topic, topicRows] of byTopic) {
      try {
        settled += await this.#relayTopic(topic, topicRows);
        this.#failing.delete(topic);
      } catch (error) {
        await this.#topicFailed(topic, error);
      }
    }
    return settled;
  }

  /** Settles one topic's rows: recovers those of unknown outcome, sends the rest. */
  async #relayTopic(topic: string, rows: OutboxRow[]): Promise<number> {
    let toSend = rows;
    const unknown = rows.filter((r) => r.state === "sending");
    let recovered = 0;
    if (unknown.length > 0) {
      const found = await this.#options.recover(unknown);
      const already = rows.filter((r) => found.has(r.event_id));
      if (already.length > 0) {
        log.info("found events sent before; not sending them again", {
          topic,
          count: already.length,
        });
        this.#markSent(already);
        recovered = already.length;
        toSend = rows.filter((r) => !found.has(r.event_id));
      }
    }
    if (toSend.length === 0) return recovered;

    this.#claim(toSend);
    await this.#options.beforeSend?.(toSend);
    const producer = await this.#connectedProducer();
    const send = producer.send({
      topic,
      acks: -1,
      messages: toSend.map((r) => ({
        key: r.key,
        value: r.value === null ? null : Buffer.from(r.value),
        headers: JSON.parse(r.headers),
      })),
    });
    try {
      await withTimeout(
        send,
        this.#options.sendTimeoutMs,
        () => new Error(`no acknowledgement within ${this.#options.sendTimeoutMs} ms`),
      );
    } catch (error) {
      if (error instanceof PartitionUnknownError) {
        // Nothing was sent (the producer did not know a new partition): pending again,
        // and a new producer, which reads the topic's partitions afresh.
        this.#unclaim(toSend);
        await this.#dropProducer();
        throw error;
      }
      // The outcome is unknown: the rows stay `sending`, this producer is never
      // used again, and the topic waits until what it wrote has landed.
      this.#settling.set(topic, Date.now() + this.#options.settleMs);
      send.then(() => this.#markSent(toSend), () => {});
      await this.#dropProducer();
      throw error;
    }
    await this.#options.afterSend?.(toSend);
    this.#markSent(toSend);
    this.#sent += toSend.length;
    this.#options.onSent?.(toSend);
    return recovered + toSend.length;
  }

  async #topicFailed(topic: string, error: unknown): Promise<void> {
    const failing = this.#failing.get(topic) ?? { error: "", failures: 0, retryAt: 0 };
    failing.failures++;
    const missing = isMissingTopic(error) || await this.#topicMissing(topic);
    failing.error = missing
      ? `outbox target topic ${topic} does not exist (or this principal may not see it); ` +
        "its events wait in the outbox until it is created"
      : `sending to ${topic} failed: ${errorMessage(error)}`;
    failing.retryAt = Date.now() +
      Math.min(this.#options.maxBackoffMs, 250 * 2 ** Math.min(failing.failures, 10));
    this.#failing.set(topic, failing);
    log.warn(failing.error, { failures: failing.failures });
  }

  /** Whether `topic` is unknown to the cluster (false when that cannot be told). */
  async #topicMissing(topic: string): Promise<boolean> {
    const admin = this.#kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await admin.fetchTopicMetadata({ topics: [topic] });
      return false;
    } catch (error) {
      return isMissingTopic(error);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  async #connectedProducer(): Promise<Producer> {
    if (!this.#producer) {
      const producer = createIdempotentProducer(this.#kafka, { retries: PRODUCER_RETRIES });
      await producer.connect();
      this.#producer = producer;
    }
    return this.#producer;
  }

  /** Drops the producer and disconnects it (waiting at most 5 s). */
  async #dropProducer(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await bounded(producer?.disconnect().catch(() => {}), 5_000);
  }

  #claim(rows: OutboxRow[]): void {
    const now = Date.now();
    transaction(this.#db, () => {
      const mark = statement(
        this.#db,
        "UPDATE outbox SET state = 'sending', sending_since = ? WHERE id = ? AND state = 'pending'",
      );
      for (const row of rows) mark.run(now, row.id);
    });
  }

  #unclaim(rows: OutboxRow[]): void {
    transaction(this.#db, () => {
      const mark = statement(
        this.#db,
        "UPDATE outbox SET state = 'pending', sending_since = NULL WHERE id = ? AND state = 'sending'",
      );
      for (const row of rows) mark.run(row.id);
    });
  }

  #markSent(rows: OutboxRow[]): void {
    const now = Date.now();
    transaction(this.#db, () => {
      const mark = statement(
        this.#db,
        "UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ? AND state != 'sent'",
      );
      for (const row of rows) mark.run(now, row.id);
    });
  }

  /** Deletes rows sent more than `keepSentMs` ago, at most once a minute. */
  #prune(now: number): void {
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    statement(
      this.#db,
      `DELETE FROM outbox WHERE id < coalesce((SELECT min(id) FROM outbox WHERE state != 'sent'),
       (SELECT max(id) + 1 FROM outbox)) AND sent_at < ?`,
    ).run(now - this.#options.keepSentMs);
  }
}
