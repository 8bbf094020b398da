/**
 * Gaps: a stored position the log no longer continues from. Three ways it
 * happens, each found by comparing what the consumer stored (its next
 * offset, and the id of the topic it counted in) with the partition's log
 * now (its topic id, start and end):
 *
 * - `recreated`: the topic was deleted and created again (another topic id,
 *   KIP-516); the stored offset counts a log that is gone, and offsets of
 *   the new log below it would be skipped;
 * - `deleted`: the log now starts after the stored offset (retention,
 *   `kafka-delete-records`): the records in between were never read;
 * - `beyond-end`: the log ends before the stored offset (truncated by an
 *   unclean leader election, or a recreated topic on a broker without ids).
 *
 * What the consumer does is its gap policy: `stop` (the default: a loud
 * stop naming topic, partition and what is missing; nothing is skipped),
 * `accept` (go on where the log is now, the gap recorded in the database
 * and shown on /health and the group pages) or `rebuild` (views only:
 * clear the view and read every topic again from its start).
 */
import { ConfigError } from "../core/config.ts";

/** What a consumer does on a gap. */
export type GapPolicy = "stop" | "accept" | "rebuild";

/** Every policy, the default first. */
export const GAP_POLICIES: readonly GapPolicy[] = ["stop", "accept", "rebuild"];

/** What the consumer stored for a partition. */
export interface StoredPosition {
  /** The next offset to read. */
  offset: number;
  /** The id of the topic the offset counts in, when known. */
  topicId?: string;
}

/** A partition's log now. */
export interface LogState {
  /** The log start offset. */
  start: number;
  /** The log end offset (what read_committed can read up to). */
  end: number;
  /** The topic's id, when the broker gives one. */
  topicId?: string;
}

/** A gap between a stored position and the log. */
export interface Gap {
  kind: "recreated" | "deleted" | "beyond-end";
  topic: string;
  partition: number;
  /** The stored next offset. */
  stored: number;
  /** Where reading goes on if the gap is accepted. */
  resumeAt: number;
  /** Offsets never read, `[from, to)` (deleted), when known. */
  missing?: { from: number; to: number };
  /** The log's end when it ends before the stored offset (beyond-end). */
  logEnd?: number;
  storedTopicId?: string;
  topicId?: string;
}

/**
 * The gap between `stored` and `log`, if any. A new partition (nothing
 * stored) has none. Ids are compared only when both are known.
 */
export function findGap(
  where: { topic: string; partition: number },
  stored: StoredPosition | undefined,
  log: LogState,
): Gap | undefined {
  if (!stored) return undefined;
  const base = { ...where, stored: stored.offset, storedTopicId: stored.topicId };
  if (stored.topicId && log.topicId && stored.topicId !== log.topicId) {
    return { ...base, kind: "recreated", resumeAt: log.start, topicId: log.topicId };
  }
  if (stored.offset < log.start) {
    return {
      ...base,
      kind: "deleted",
      resumeAt: log.start,
      missing: { from: stored.offset, to: log.start },
      topicId: log.topicId,
    };
  }
  if (stored.offset > log.end) {
    // What the log holds now is not the log the position counted in (a topic recreated
    // while its id still read as the old one, or a truncation): it is read from its start.
    // Resuming at its end skipped the records already there (the fault campaign, seed
    // 2026: 4 items at offset 0 of a recreated topic, outside the recorded gap).
    return {
      ...base,
      kind: "beyond-end",
      resumeAt: log.start,
      logEnd: log.end,
      topicId: log.topicId,
    };
  }
  return undefined;
}

/** What a gap is, in one sentence naming the topic and partition. */
export function describeGap(gap: Gap, log?: LogState): string {
  const where = `${gap.topic}/${gap.partition}`;
  if (gap.kind === "recreated") {
    const records = log ? `${log.start}–${log.end - 1} ` : "";
    // Records deleted from the new log before this consumer saw it (the fault campaign,
    // seed 4207): the resume point alone did not say why it was not 0.
    const deleted = gap.resumeAt > 0
      ? `; the new log starts at ${gap.resumeAt} (offsets 0–${gap.resumeAt - 1} deleted ` +
        "before this consumer read them)"
      : "";
    return `${where}: the topic was deleted and created again (topic id ${gap.storedTopicId} is ` +
      `now ${gap.topicId}); the stored offset ${gap.stored} counts the old log, so the new ` +
      `log's records ${records}would be read from the wrong place${deleted}`;
  }
  if (gap.kind === "deleted") {
    const { from, to } = gap.missing!;
    return `${where}: offsets ${from}–${to - 1} were deleted before this consumer read them ` +
      `(retention, or kafka-delete-records); the log now starts at ${to}`;
  }
  return `${where}: the stored offset ${gap.stored} is beyond the log's end ${
    gap.logEnd ?? log?.end ?? gap.resumeAt
  } ` +
    "(the topic was recreated or truncated under this consumer)";
}

/** The consumer stopped on a gap (policy `stop`). */
export class LogGapError extends Error {
  readonly code = "LOG_GAP";
  readonly retriable = false;
  constructor(readonly gap: Gap, consumer: string, options: { log?: LogState; rebuild: boolean }) {
    super(
      `${describeGap(gap, options.log)}. Nothing was skipped: consumer ${consumer} stopped. To ` +
        `go on from offset ${gap.resumeAt}, recording the gap, start it with ` +
        `CONSUMER_ON_GAP=${consumer}=accept` +
        (options.rebuild
          ? `; to rebuild its data from the topics as they are now, CONSUMER_ON_GAP=${consumer}=rebuild`
          : "") +
        " (docs/gaps.md).",
    );
    this.name = "LogGapError";
  }
}

/**
 * The policy `CONSUMER_ON_GAP` gives consumer `name`: one policy for every
 * consumer (`accept`), or one per consumer (`doctor-house=rebuild,orders-service=accept`);
 * undefined when it names none for `name`.
 */
export function gapPolicyFor(value: string | undefined, name: string): GapPolicy | undefined {
  if (!value) return undefined;
  const problems: string[] = [];
  let general: GapPolicy | undefined;
  let own: GapPolicy | undefined;
  for (const item of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [who, policy] = item.includes("=") ? item.split("=", 2) : [undefined, item];
    if (!GAP_POLICIES.includes(policy as GapPolicy)) {
      problems.push(
        `CONSUMER_ON_GAP: expected ${GAP_POLICIES.join(", ")} or <consumer>=<policy>,… ` +
          `(got ${JSON.stringify(item)})`,
      );
      continue;
    }
    if (who === undefined) general = policy as GapPolicy;
    else if (who === name) own = policy as GapPolicy;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return own ?? general;
}
