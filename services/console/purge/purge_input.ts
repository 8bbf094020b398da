/**
 * A purge as an operator asks for it (form fields or a JSON body): which
 * partition (`all` or a number), and before what — an `offset` (one
 * partition: an offset names a position in one log), a `timestamp` (ISO
 * 8601 or milliseconds: in each partition, every record older than the
 * first at or after it), or `end` (every record: the log emptied). Every
 * problem is reported at once.
 */

/** Where the purge stops: records below this go. */
export type PurgeBefore =
  | { kind: "offset"; offset: number }
  | { kind: "timestamp"; timestampMs: number }
  | { kind: "end" };

/** A purge request. */
export interface PurgeRequest {
  /** Undefined: every partition. */
  partition?: number;
  before: PurgeBefore;
}

/** A parse result. */
export type ParsedPurge = { ok: true; value: PurgeRequest } | { ok: false; problems: string[] };

const KINDS = ["offset", "timestamp", "end"] as const;

function integer(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw === "number") return Number.isSafeInteger(raw) ? raw : NaN;
  const text = String(raw).trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}

function timestamp(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const n = integer(raw);
  if (n !== undefined && !Number.isNaN(n)) return n;
  const parsed = Date.parse(String(raw));
  return Number.isNaN(parsed) ? NaN : parsed;
}

/** Parses `partition`, `before` (offset, timestamp or end), `offset`, `timestamp`. */
export function parsePurge(input: Record<string, unknown>): ParsedPurge {
  const problems: string[] = [];
  const partitionRaw = input.partition === "all" ? undefined : input.partition;
  const partition = integer(partitionRaw);
  if (partition !== undefined && (Number.isNaN(partition) || partition < 0)) {
    problems.push("partition must be a partition number or all");
  }
  const kind = String(input.before ?? "");
  let before: PurgeBefore | undefined;
  if (!(KINDS as readonly string[]).includes(kind)) {
    problems.push(`before must be one of ${KINDS.join(", ")}`);
  } else if (kind === "end") before = { kind };
  else if (kind === "offset") {
    const offset = integer(input.offset);
    if (offset === undefined || Number.isNaN(offset)) {
      problems.push("offset must be a non-negative integer");
    } else if (partition === undefined) {
      problems.push(
        "an offset is a position in one partition: give the partition, or purge the whole " +
          "topic before a timestamp (or to its end)",
      );
    } else before = { kind, offset };
  } else {
    const ms = timestamp(input.timestamp);
    if (ms === undefined || Number.isNaN(ms) || ms < 0) {
      problems.push("timestamp must be an ISO 8601 time or milliseconds since the epoch");
    } else before = { kind: "timestamp", timestampMs: ms };
  }
  if (problems.length > 0 || !before) return { ok: false, problems };
  return { ok: true, value: { partition: partition as number | undefined, before } };
}

/** The request in words, for a confirmation and the audit log. */
export function describePurge(request: PurgeRequest): string {
  const where = request.partition === undefined
    ? "every partition"
    : `partition ${request.partition}`;
  const b = request.before;
  if (b.kind === "end") return `every record of ${where}`;
  if (b.kind === "offset") return `records of ${where} before offset ${b.offset}`;
  return `records of ${where} older than ${new Date(b.timestampMs).toISOString()}`;
}
