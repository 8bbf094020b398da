/**
 * An offset reset as an operator asks for it (form fields or a JSON body):
 * the topic, one partition or all, and where to: `earliest`, `latest`, a
 * `timestamp` (ms since the epoch, or an ISO 8601 time), an `offset`, or
 * `shift` by N (negative goes back).
 */

/** Where the offsets go. */
export type ResetTarget =
  | { kind: "earliest" }
  | { kind: "latest" }
  | { kind: "timestamp"; timestampMs: number }
  | { kind: "offset"; offset: number }
  | { kind: "shift"; by: number };

/** A reset request. */
export interface ResetRequest {
  topic: string;
  /** Undefined: every partition of the topic. */
  partition?: number;
  to: ResetTarget;
  dryRun: boolean;
}

/** A parse result. */
export type ParsedReset = { ok: true; value: ResetRequest } | { ok: false; problems: string[] };

const KINDS = ["earliest", "latest", "timestamp", "offset", "shift"] as const;

function integer(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : Number(String(raw).trim());
  return Number.isSafeInteger(value) ? value : NaN;
}

function timestamp(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const n = integer(raw);
  if (n !== undefined && !Number.isNaN(n)) return n;
  const parsed = Date.parse(String(raw));
  return Number.isNaN(parsed) ? NaN : parsed;
}

/** Parses a reset from `input` (`topic`, `partition`, `to`, `timestamp`, `offset`, `by`, `dryRun`). */
export function parseReset(input: Record<string, unknown>): ParsedReset {
  const problems: string[] = [];
  const topic = String(input.topic ?? "").trim();
  if (topic === "") problems.push("topic is required");
  const partition = integer(input.partition);
  if (partition !== undefined && (Number.isNaN(partition) || partition < 0)) {
    problems.push("partition must be a non-negative integer (or empty for all)");
  }
  const kind = String(input.to ?? "");
  let to: ResetTarget | undefined;
  if (!(KINDS as readonly string[]).includes(kind)) {
    problems.push(`to must be one of ${KINDS.join(", ")}`);
  } else if (kind === "earliest" || kind === "latest") to = { kind };
  else if (kind === "timestamp") {
    const ms = timestamp(input.timestamp);
    if (ms === undefined || Number.isNaN(ms) || ms < 0) {
      problems.push("timestamp must be milliseconds since the epoch or an ISO 8601 time");
    } else to = { kind, timestampMs: ms };
  } else if (kind === "offset") {
    const offset = integer(input.offset);
    if (offset === undefined || Number.isNaN(offset) || offset < 0) {
      problems.push("offset must be a non-negative integer");
    } else to = { kind, offset };
  } else {
    const by = integer(input.by);
    if (by === undefined || Number.isNaN(by) || by === 0) {
      problems.push("by must be a non-zero integer (negative moves back)");
    } else to = { kind: "shift", by };
  }
  const dryRun = input.dryRun === true || input.dryRun === "true" || input.dryRun === "1";
  if (problems.length > 0 || !to) return { ok: false, problems };
  return {
    ok: true,
    value: { topic, partition: partition as number | undefined, to, dryRun },
  };
}

/** The target in words, e.g. `shift by -5`. */
export function describeTarget(to: ResetTarget): string {
  switch (to.kind) {
    case "timestamp":
      return `timestamp ${new Date(to.timestampMs).toISOString()}`;
    case "offset":
      return `offset ${to.offset}`;
    case "shift":
      return `shift by ${to.by}`;
    default:
      return to.kind;
  }
}
