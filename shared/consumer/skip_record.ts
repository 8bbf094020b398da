/**
 * Skipping one record for a Freshet consumer. Its offsets live in its own
 * SQLite, committed with its rows (offsets.ts); a Kafka offset commit does
 * nothing for it. So the skip moves the stored offset of one partition
 * from the record's offset to the next, with the offset store's
 * compare-and-set: refused when the stored offset is not the record's
 * (the consumer moved on, or another skip came first).
 *
 * It is refused, clearly, while the consumer runs: it takes the consumer's
 * folder lock (folder_lock.ts) first, which a running consumer holds —
 * as a Worker of a web server or as its own process — so a skip never
 * races the runner's own writes; the message names who holds it. Stop the
 * consumer, skip, start it again: it resumes after the record. Kept out of
 * the runner on purpose (issue 21): the runner needs no new command, and
 * nothing here runs while it does.
 */
import { FreshetError } from "../core/errors.ts";
import { openDatabase, transaction } from "../sqlite/sqlite.ts";
import { FolderLockedError, lockFolder } from "./folder_lock.ts";
import { offsetStore } from "./offsets.ts";

/** Why a skip was refused: `CONSUMER_RUNNING`, `OFFSET_MOVED`, `NO_DATABASE`. */
export class SkipRefusedError extends FreshetError {
  constructor(message: string, code: "CONSUMER_RUNNING" | "OFFSET_MOVED" | "NO_DATABASE") {
    super(message, { code, retriable: code === "CONSUMER_RUNNING" });
    this.name = "SkipRefusedError";
  }
}

/** Which record of which consumer. */
export interface SkipTarget {
  /** The consumer's data folder (`<DATA_DIR>/<name>`), holding its lock. */
  folder: string;
  /** Its database (`<folder>/<name>.db`). */
  database: string;
  topic: string;
  partition: number;
  /** The record to skip: the stored offset must be this one. */
  offset: number;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The consumer's stored offset of the partition (read without the lock), or undefined. */
export function storedOffset(target: Omit<SkipTarget, "offset">): number | undefined {
  if (!exists(target.database)) {
    throw new SkipRefusedError(
      `no database ${target.database}: the consumer has never run with this data folder`,
      "NO_DATABASE",
    );
  }
  const db = openDatabase(target.database);
  try {
    return offsetStore(db).get(target.topic, target.partition);
  } finally {
    db.close();
  }
}

/**
 * Moves the stored offset of `target`'s partition from `target.offset` to
 * the next one, while holding the consumer's folder lock; returns the move.
 * `before` runs under the lock once the stored offset is checked, before
 * the move (the console copies the record to its dead-letter topic
 * there): if it throws, nothing moves.
 */
export async function skipStoredRecord(
  target: SkipTarget,
  options: { label?: string; before?: () => Promise<void> } = {},
): Promise<{ from: number; to: number }> {
  if (!exists(target.database)) storedOffset(target); // throws NO_DATABASE
  let lock;
  try {
    lock = lockFolder(target.folder, options.label ?? "a skip");
  } catch (error) {
    if (!(error instanceof FolderLockedError)) throw error;
    throw new SkipRefusedError(
      `the consumer is running (${error.holder}): its offsets are its own while it runs. ` +
        "Stop it, skip, then start it again.",
      "CONSUMER_RUNNING",
    );
  }
  try {
    const db = openDatabase(target.database);
    try {
      const check = () => {
        const stored = offsetStore(db).get(target.topic, target.partition);
        if (stored !== target.offset) {
          throw new SkipRefusedError(
            `the stored offset of ${target.topic}/${target.partition} is ${stored ?? "unset"}, ` +
              `not ${target.offset}: the consumer moved on, or another skip came first`,
            "OFFSET_MOVED",
          );
        }
      };
      check();
      await options.before?.();
      return transaction(db, () => {
        check();
        offsetStore(db).advance(target.topic, target.partition, target.offset, target.offset + 1);
        return { from: target.offset, to: target.offset + 1 };
      });
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}
