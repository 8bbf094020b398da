/**
 * The message browser's query string, shared by the page, the JSON API and
 * the search stream: `seek=newest|oldest|offset|timestamp|before|after`,
 * `partition`, `offset`, `timestamp` (ISO 8601 or epoch milliseconds),
 * `positions` (`0:120,1:98`, the cursors of older/newer pages), `limit`
 * (1–500, default 50), filters `key`, `value`, `header` (a name) with
 * `headerValue`, each with `keyMatch`, `valueMatch`, `headerMatch` of
 * `contains` or `equals` (key defaults to equals, the others to contains),
 * `everyPartition=1`, and the search budget `maxMessages`, `maxMs`. Every
 * problem is reported at once.
 */
import {
  type BrowseRequest,
  DEFAULT_BUDGET,
  MAX_BUDGET,
  MAX_PAGE_SIZE,
  type Positions,
  type Seek,
} from "./browse_types.ts";
import type { MatchMode, MessageFilter, TextMatch } from "./filter.ts";

/** Messages per page unless `limit` says otherwise. */
export const DEFAULT_PAGE_SIZE = 50;

/** Kafka's rule for topic names. */
export const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

const SEEKS = ["newest", "oldest", "offset", "timestamp", "before", "after"] as const;

/** The query's filter parameters, for forms and requests that carry a search's filters on. */
export const FILTER_PARAMS = [
  "key",
  "keyMatch",
  "value",
  "valueMatch",
  "header",
  "headerValue",
  "headerMatch",
] as const;

/** A parsed query, or the problems with it. */
export type ParsedQuery =
  | { ok: true; request: Omit<BrowseRequest, "topic"> }
  | { ok: false; problems: string[] };

function integer(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** `2024-05-01T10:00:00Z` or epoch milliseconds. */
export function parseTimestamp(text: string): number | undefined {
  const ms = integer(text.trim());
  if (ms !== undefined) return ms;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** `0:120,1:98` as positions. */
export function parsePositions(text: string): Positions | undefined {
  const out: Positions = {};
  for (const part of text.split(",")) {
    const [p, o, extra] = part.split(":");
    const partition = integer(p ?? "");
    const offset = integer(o ?? "");
    if (partition === undefined || offset === undefined || extra !== undefined) return undefined;
    out[partition] = offset;
  }
  return out;
}

/** Positions as `0:120,1:98`. */
export function formatPositions(positions: Positions): string {
  return Object.entries(positions).map(([p, o]) => `${p}:${o}`).join(",");
}

/** Parses the browser's query string. */
export function parseBrowseQuery(params: URLSearchParams): ParsedQuery {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = params.get(name);
    return v === null || v === "" ? undefined : v;
  };
  const bounded = (name: string, fallback: number, min: number, max: number) => {
    const text = get(name);
    if (text === undefined) return fallback;
    const n = integer(text);
    if (n === undefined || n < min || n > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const match = (name: string, fallback: MatchMode): MatchMode => {
    const text = get(`${name}Match`) ?? fallback;
    if (text === "contains" || text === "equals") return text;
    problems.push(`${name}Match: expected contains or equals`);
    return fallback;
  };

  const seekName = get("seek") ?? "newest";
  let seek: Seek = { kind: "newest" };
  if (!(SEEKS as readonly string[]).includes(seekName)) {
    problems.push(`seek: expected one of ${SEEKS.join(", ")}`);
  } else if (seekName === "oldest") seek = { kind: "oldest" };
  else if (seekName === "offset") {
    const offset = integer(get("offset") ?? "");
    if (offset === undefined) problems.push("offset: expected a non-negative integer");
    else seek = { kind: "offset", offset };
  } else if (seekName === "timestamp") {
    const text = get("timestamp");
    const timestampMs = text === undefined ? undefined : parseTimestamp(text);
    if (timestampMs === undefined) {
      problems.push("timestamp: expected an ISO 8601 time or milliseconds since the epoch");
    } else seek = { kind: "timestamp", timestampMs };
  } else if (seekName === "before" || seekName === "after") {
    const positions = parsePositions(get("positions") ?? "");
    if (positions === undefined) {
      problems.push("positions: expected partition:offset pairs, e.g. 0:120,1:98");
    } else seek = { kind: seekName, positions };
  }

  const partitionText = get("partition");
  let partition: number | undefined;
  if (partitionText !== undefined && partitionText !== "all") {
    partition = integer(partitionText);
    if (partition === undefined) problems.push("partition: expected a partition number or all");
  }

  const filter: MessageFilter = {};
  const text = (name: string, mode: MatchMode, matchName = name): TextMatch | undefined => {
    const value = params.get(name);
    const m = match(matchName, mode);
    return value === null || value === "" ? undefined : { text: value, mode: m };
  };
  filter.key = text("key", "equals");
  filter.value = text("value", "contains");
  const headerName = get("header");
  const headerValue = text("headerValue", "contains", "header");
  if (headerName !== undefined) filter.header = { name: headerName, value: headerValue };
  else if (headerValue) problems.push("headerValue: give the header's name in header");
  for (const name of ["key", "value", "header", "headerValue"]) {
    if ((params.get(name) ?? "").length > 1_000) problems.push(`${name}: at most 1000 characters`);
  }

  const request: Omit<BrowseRequest, "topic"> = {
    partition,
    seek,
    limit: bounded("limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
    everyPartition: ["1", "true", "on"].includes(get("everyPartition") ?? ""),
    budget: {
      maxMessages: bounded("maxMessages", DEFAULT_BUDGET.maxMessages, 1, MAX_BUDGET.maxMessages),
      maxMs: bounded("maxMs", DEFAULT_BUDGET.maxMs, 100, MAX_BUDGET.maxMs),
    },
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, request };
}
