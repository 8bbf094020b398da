/**
 * Rebuilds the balances table from `contas`: replays the topic from its
 * earliest offset into a fresh table (`balances_next`) and swaps it in,
 * in one SQLite transaction, for the live one.
 *
 * A live consumer (a Worker of the server, or its own process) may be
 * running meanwhile. The swapped-in table must then be exactly the state
 * at the offsets the live consumer stored, because the live consumer goes
 * on from those offsets and never looks back. So:
 *
 * 1. Each partition is replayed up to the offset the live consumer stored
 *    (or, for a partition it never consumed, to the end offset seen at
 *    the start).
 * 2. The live consumer keeps going meanwhile, so the replay catches up
 *    with its stored offsets again, without a lock.
 * 3. The swap transaction (BEGIN IMMEDIATE: the live consumer cannot commit
 *    during it) reads the stored offsets once more. If the live consumer
 *    moved since step 2, the transaction is rolled back and step 2 runs
 *    again; after a few tries the catch-up happens inside the transaction,
 *    holding the lock (the live consumer's next commit waits for it; the
 *    gap is one fetch, milliseconds; at most 10 s).
 * 4. Where the replay went further than the live consumer stored (a
 *    partition it never consumed), the replay's position is stored as the
 *    partition's offset in the same transaction, so the live consumer does
 *    not apply those records a second time. (A consumer that joins during
 *    the rebuild and had already fetched from an unstored partition
 *    re-applies that one batch, in order: the rows end the same, only its
 *    counters count the batch twice.)
 *
 * Each record goes through `applyBalanceRecord`, the function the live
 * consumer uses, so both tables hold the same rows.
 */
import type { Kafka } from "kafkajs";
import { decodeValue } from "../../shared/consumer/decode.ts";
import { offsetStore } from "../../shared/consumer/offsets.ts";
import { type DatabaseSync, transaction } from "../../shared/sqlite/sqlite.ts";
import { logBounds, type ReadMessage } from "../../shared/kafka/topic_reader.ts";
import { TopicReplay } from "../../shared/kafka/topic_replay.ts";
import { accountKey, contasRecordSchema } from "./balance.ts";
import { applyBalanceRecord, REBUILD_TABLE } from "./balances_db.ts";
import { createRebuildTable, dropRebuildTable, swapRebuildTable } from "./rebuild_table.ts";

/** Options of `rebuildBalances`. */
export interface RebuildOptions {
  /** The balances database (a connection of its own). */
  db: DatabaseSync;
  /** A client of the `balances` principal. */
  kafka: Kafka;
  /** The (prefixed) `contas` topic. */
  topic: string;
  /** A group under the principal's ACL, used only to read (default `balances-rebuild-<uuid>`). */
  groupId?: string;
  /** Longest wait for any replay step (default 300 000 ms). */
  stepTimeoutMs?: number;
  /** Swap attempts without holding the lock before the catch-up holds it (default 3). */
  optimisticTries?: number;
  /** Called after each applied chunk. */
  onProgress?: (progress: RebuildProgress) => void;
  /** Called after each catch-up, before the swap is tried (tests let the live consumer move). */
  afterCatchUp?: (attempt: number) => Promise<void>;
}

/** How far the replay is. */
export interface RebuildProgress {
  records: number;
  /** Records between the log start and the end offsets seen at the start. */
  expected: number;
}

/** What a rebuild did. */
export interface RebuildResult {
  /** Accounts in the swapped-in table. */
  accounts: number;
  records: number;
  upserts: number;
  tombstones: number;
  nullKeys: number;
  idMismatches: number;
  /** Records the live consumer dead-letters (bad JSON, schema, key); skipped here. */
  invalid: number;
  /** The next offset of each partition, as stored after the swap. */
  offsets: Record<number, number>;
  /** Swap transactions begun (one more than the times the live consumer moved in between). */
  swapAttempts: number;
  /** Whether the final catch-up had to hold the lock. */
  lockedCatchUp: boolean;
}

const DEFAULT_STEP_TIMEOUT_MS = 300_000;
/** Longest catch-up while holding the lock (the gap is one fetch; the live consumer waits). */
const LOCKED_CATCH_UP_TIMEOUT_MS = 10_000;

/** Replays `contas` into a fresh table and swaps it in; see the module comment. */
export async function rebuildBalances(options: RebuildOptions): Promise<RebuildResult> {
  const { db, topic } = options;
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const offsets = offsetStore(db);
  const stored = (p: number) => offsets.get(topic, p);
  const result: RebuildResult = {
    accounts: 0,
    records: 0,
    upserts: 0,
    tombstones: 0,
    nullKeys: 0,
    idMismatches: 0,
    invalid: 0,
    offsets: {},
    swapAttempts: 0,
    lockedCatchUp: false,
  };

  const bounds = await logBounds(options.kafka, [topic]);
  const expected = bounds.reduce((n, o) => n + Math.max(0, o.high - o.low), 0);

  let locked = false;
  const apply = (messages: ReadMessage[]) => {
    for (const message of messages) applyMessage(db, message, result);
    result.records += messages.length;
  };
  const replay = new TopicReplay(options.kafka, {
    groupId: options.groupId ?? `balances-rebuild-${crypto.randomUUID()}`,
    partitions: bounds.map(({ partition, low, high }) => ({
      topic,
      partition,
      start: low,
      target: stored(partition) ?? high,
    })),
    sink(messages) {
      if (locked) apply(messages);
      else transaction(db, () => apply(messages));
      options.onProgress?.({ records: result.records, expected });
    },
  });
  const catchUp = async (timeoutMs: number) => {
    for (const { partition } of replay.partitions()) {
      const live = stored(partition);
      if (live !== undefined) replay.raise(topic, partition, live);
    }
    await replay.reached(timeoutMs);
  };
  const liveAhead = () =>
    replay.partitions().some(({ partition: p }) => (stored(p) ?? -1) > replay.position(topic, p));

  createRebuildTable(db);
  try {
    await replay.start();
    await replay.reached(stepTimeoutMs);
    const tries = options.optimisticTries ?? 3;
    for (let attempt = 0;; attempt++) {
      await catchUp(stepTimeoutMs);
      await options.afterCatchUp?.(attempt);
      db.exec("BEGIN IMMEDIATE");
      locked = true;
      result.swapAttempts++;
      if (liveAhead()) {
        if (attempt < tries) {
          db.exec("ROLLBACK");
          locked = false;
          continue;
        }
        result.lockedCatchUp = true;
        // The live consumer waits for the lock meanwhile: bound the wait tightly.
        await catchUp(Math.min(stepTimeoutMs, LOCKED_CATCH_UP_TIMEOUT_MS));
      }
      for (const { partition: p } of replay.partitions()) {
        const position = replay.position(topic, p);
        if ((stored(p) ?? -1) < position) offsets.set(topic, p, position);
        result.offsets[p] = stored(p)!;
      }
      result.accounts = swapRebuildTable(db);
      db.exec("COMMIT");
      locked = false;
      return result;
    }
  } finally {
    if (db.isTransaction) db.exec("ROLLBACK");
    await replay.stop();
    dropRebuildTable(db);
  }
}

/** Applies one replayed record as the live consumer would, counting what it did. */
function applyMessage(db: DatabaseSync, message: ReadMessage, result: RebuildResult): void {
  let value;
  let key;
  try {
    value = decodeValue(message.value, contasRecordSchema);
    key = accountKey(message.key);
  } catch {
    result.invalid++;
    return;
  }
  if (key === null) {
    result.nullKeys++;
    return;
  }
  const outcome = applyBalanceRecord(db, {
    key,
    value,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
  }, REBUILD_TABLE);
  if (outcome.kind === "deleted") result.tombstones++;
  else {
    result.upserts++;
    if (outcome.idMismatch) result.idMismatches++;
  }
}
