/**
 * A replay as an operator asks for it (form fields or a JSON body): the
 * `target` topic; which partition (`all` or a number); where the range
 * starts — `from=oldest` (default), `offset` (`fromOffset`) or `timestamp`
 * (`fromTimestamp`) — and where it ends, exclusive — `until=end` (default:
 * the end offsets when the replay is planned), `offset` (`untilOffset`) or
 * `timestamp` (`untilTimestamp`); the message browser's filters (`key`,
 * `value`, `header`, `headerValue`, their `…Match` modes); `ratePerSec`
 * (records sent per second, default 1,000); `dryRun`. Every problem is
 * reported at once.
 */
import {
  FILTER_PARAMS,
  parseBrowseQuery,
  parseTimestamp,
  TOPIC_NAME,
} from "../messages/browse_query.ts";
import type { MessageFilter } from "../messages/filter.ts";

/** Where a replay's range starts in each partition. */
export type ReplayFrom =
  | { kind: "oldest" }
  | { kind: "offset"; offset: number }
  | { kind: "timestamp"; timestampMs: number };

/** Where it ends (exclusive) in each partition. */
export type ReplayUntil =
  | { kind: "end" }
  | { kind: "offset"; offset: number }
  | { kind: "timestamp"; timestampMs: number };

/** A replay request. */
export interface ReplayRequest {
  target: string;
  /** Undefined: every partition. */
  partition?: number;
  from: ReplayFrom;
  until: ReplayUntil;
  filter: MessageFilter;
  ratePerSec: number;
  dryRun: boolean;
}

/** Records per second unless `ratePerSec` says otherwise. */
export const DEFAULT_RATE_PER_SEC = 1_000;
/** The fastest a replay may ask for. */
export const MAX_RATE_PER_SEC = 100_000;

/** A parse result. */
export type ParsedReplay = { ok: true; value: ReplayRequest } | { ok: false; problems: string[] };

function text(raw: unknown): string {
  return raw === undefined || raw === null ? "" : String(raw).trim();
}

function integer(raw: unknown): number | undefined {
  const t = text(raw);
  if (t === "") return undefined;
  return /^\d{1,15}$/.test(t) ? Number(t) : NaN;
}

function bound(
  name: "from" | "until",
  input: Record<string, unknown>,
  fallback: "oldest" | "end",
  problems: string[],
): ReplayFrom | ReplayUntil | undefined {
  const kind = text(input[name]) || fallback;
  const field = (suffix: string) => `${name}${suffix}`;
  if (kind === fallback) return { kind } as ReplayFrom | ReplayUntil;
  if (kind === "offset") {
    const offset = integer(input[field("Offset")]);
    if (offset === undefined || Number.isNaN(offset)) {
      problems.push(`${field("Offset")} must be a non-negative integer`);
      return undefined;
    }
    return { kind, offset };
  }
  if (kind === "timestamp") {
    const t = text(input[field("Timestamp")]);
    const ms = t === "" ? undefined : parseTimestamp(t);
    if (ms === undefined) {
      problems.push(
        `${field("Timestamp")} must be an ISO 8601 time or milliseconds since the epoch`,
      );
      return undefined;
    }
    return { kind, timestampMs: ms };
  }
  problems.push(`${name} must be one of ${fallback}, offset, timestamp`);
  return undefined;
}

/** Parses a replay request (see the module's comment). */
export function parseReplay(input: Record<string, unknown>): ParsedReplay {
  const problems: string[] = [];
  const target = text(input.target);
  if (target === "") problems.push("target: name the topic to copy the records to");
  else if (!TOPIC_NAME.test(target)) {
    problems.push("target: a topic name is 1-249 letters, digits, '.', '_' or '-'");
  }
  const partitionText = text(input.partition);
  let partition: number | undefined;
  if (partitionText !== "" && partitionText !== "all") {
    partition = integer(partitionText);
    if (partition === undefined || Number.isNaN(partition)) {
      problems.push("partition must be a partition number or all");
    }
  }
  const from = bound("from", input, "oldest", problems) as ReplayFrom | undefined;
  const until = bound("until", input, "end", problems) as ReplayUntil | undefined;
  if (from?.kind === "offset" && until?.kind === "offset" && until.offset <= from.offset) {
    problems.push("untilOffset must be above fromOffset (the range ends before it)");
  }
  if (
    from?.kind === "timestamp" && until?.kind === "timestamp" &&
    until.timestampMs <= from.timestampMs
  ) problems.push("untilTimestamp must be after fromTimestamp");
  const query = new URLSearchParams({ seek: "oldest" });
  for (const name of FILTER_PARAMS) {
    const t = input[name] === undefined || input[name] === null ? "" : String(input[name]);
    if (t !== "") query.set(name, t);
  }
  const parsed = parseBrowseQuery(query);
  if (!parsed.ok) problems.push(...parsed.problems);
  const rate = integer(input.ratePerSec) ?? DEFAULT_RATE_PER_SEC;
  if (Number.isNaN(rate) || rate < 1 || rate > MAX_RATE_PER_SEC) {
    problems.push(`ratePerSec must be an integer from 1 to ${MAX_RATE_PER_SEC}`);
  }
  const dryRun = input.dryRun === true || ["1", "true", "on"].includes(text(input.dryRun));
  if (problems.length > 0 || !parsed.ok || !from || !until) return { ok: false, problems };
  return {
    ok: true,
    value: {
      target,
      partition,
      from,
      until,
      filter: parsed.request.filter,
      ratePerSec: rate,
      dryRun,
    },
  };
}
