/**
 * The redrive log (table `dlq_redrives`, which the console keeps in the web
 * kernel's `console` database, shared/web/auth/console_db.ts, through its
 * module's `web.migrations`): one row per dead letter ever
 * redriven, claimed before its message is sent. This is what makes a
 * redrive happen at most once: a dead letter with a row (sent, or whose
 * send had an unknown outcome) is skipped unless the operator explicitly
 * repeats it. Only a send the broker definitely refused releases the claim.
 */
import {
  type DatabaseSync,
  type Migration,
  statement,
  transaction,
} from "../../../shared/sqlite/sqlite.ts";

/** The redrive log's table, version 3 of the `console` database (kept since it was the kernel's). */
export const DLQ_REDRIVES_MIGRATION: Migration = {
  version: 3,
  name: "dead-letter redrives",
  up: `CREATE TABLE dlq_redrives (
    dlq_topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    target_topic TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'refused')),
    redrives INTEGER NOT NULL,
    user_name TEXT,
    at TEXT NOT NULL,
    sent_partition INTEGER,
    sent_offset INTEGER,
    error TEXT,
    PRIMARY KEY (dlq_topic, partition, offset)
  )`,
};

/** A dead letter's row. */
export interface RedriveRecord {
  state: "sending" | "sent" | "refused";
  /** Sends made (a repeat adds one). */
  redrives: number;
  user: string | null;
  at: string;
  /** The topic it was sent back to. */
  targetTopic: string;
  sentPartition: number | null;
  sentOffset: number | null;
  error: string | null;
}

/** Where a dead letter is. */
export interface DeadLetterRef {
  dlqTopic: string;
  partition: number;
  offset: number;
}

/** The rows of `refs`' topic for the given offsets, by `partition:offset`. */
export function redriveRecords(
  db: DatabaseSync,
  dlqTopic: string,
  refs: { partition: number; offset: number }[],
): Map<string, RedriveRecord> {
  const out = new Map<string, RedriveRecord>();
  const select = statement(
    db,
    `SELECT state, redrives, user_name, at, target_topic, sent_partition, sent_offset, error
     FROM dlq_redrives WHERE dlq_topic = ? AND partition = ? AND offset = ?`,
  );
  for (const { partition, offset } of refs) {
    const row = select.get(dlqTopic, partition, offset);
    if (!row) continue;
    out.set(`${partition}:${offset}`, {
      state: row.state as RedriveRecord["state"],
      redrives: Number(row.redrives),
      user: row.user_name as string | null,
      at: String(row.at),
      targetTopic: String(row.target_topic),
      sentPartition: row.sent_partition === null ? null : Number(row.sent_partition),
      sentOffset: row.sent_offset === null ? null : Number(row.sent_offset),
      error: row.error as string | null,
    });
  }
  return out;
}

/**
 * Claims `ref` for a send: false when it was redriven already (or its send
 * is under way) and `repeat` is not set. Returns the number of this send.
 */
export function claimRedrive(
  db: DatabaseSync,
  ref: DeadLetterRef,
  options: { targetTopic: string; user: string | null; repeat: boolean },
): { claimed: true; redrive: number } | { claimed: false; record: RedriveRecord } {
  return transaction(db, () => {
    const existing = redriveRecords(db, ref.dlqTopic, [ref]).get(`${ref.partition}:${ref.offset}`);
    if (existing && existing.state !== "refused" && !options.repeat) {
      return { claimed: false as const, record: existing };
    }
    const redrive =
      (existing?.state === "refused" ? existing.redrives - 1 : existing?.redrives ?? 0) +
      1;
    statement(
      db,
      `INSERT INTO dlq_redrives (dlq_topic, partition, offset, target_topic, state, redrives, user_name, at)
       VALUES (?, ?, ?, ?, 'sending', ?, ?, ?)
       ON CONFLICT (dlq_topic, partition, offset) DO UPDATE SET
         target_topic = excluded.target_topic, state = 'sending', redrives = excluded.redrives,
         user_name = excluded.user_name, at = excluded.at, sent_partition = NULL,
         sent_offset = NULL, error = NULL`,
    ).run(
      ref.dlqTopic,
      ref.partition,
      ref.offset,
      options.targetTopic,
      redrive,
      options.user,
      new Date().toISOString(),
    );
    return { claimed: true as const, redrive };
  });
}

/** Records how the claimed send ended. */
export function settleRedrive(
  db: DatabaseSync,
  ref: DeadLetterRef,
  outcome: { sent: { partition: number; offset: number } } | { refused: string } | {
    unknown: string;
  },
): void {
  const sql = "sent" in outcome
    ? `UPDATE dlq_redrives SET state = 'sent', sent_partition = ?, sent_offset = ?
       WHERE dlq_topic = ? AND partition = ? AND offset = ?`
    : `UPDATE dlq_redrives SET state = ?, error = ?
       WHERE dlq_topic = ? AND partition = ? AND offset = ?`;
  const head = "sent" in outcome
    ? [outcome.sent.partition, outcome.sent.offset]
    : "refused" in outcome
    ? ["refused", outcome.refused]
    : ["sending", outcome.unknown];
  statement(db, sql).run(...head, ref.dlqTopic, ref.partition, ref.offset);
}
