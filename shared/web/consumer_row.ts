/**
 * What the home page shows of a consumer, in the browser and on the
 * server alike (this module must stay free of server-only imports).
 */
import type { ConsumerStatus } from "../consumer/status.ts";

/** One line of the consumer table. */
export interface ConsumerRow {
  name: string;
  mode: string;
  state: string;
  lag: number;
  topics: string[];
  lastError?: string;
}

/** The row of a status report. */
export function toConsumerRow(status: ConsumerStatus): ConsumerRow {
  return {
    name: status.name,
    mode: modeText(status),
    state: status.state,
    lag: status.lag,
    topics: status.topics,
    lastError: status.lastError,
  };
}

/**
 * The row of a status that arrived from the bus in the browser, where it
 * was not validated: undefined unless it has the fields the table shows.
 */
export function parseConsumerRow(data: unknown): ConsumerRow | undefined {
  const s = data as Partial<ConsumerStatus> | null;
  if (typeof s?.name !== "string" || typeof s.state !== "string") return undefined;
  return {
    name: s.name,
    mode: typeof s.mode === "string" ? modeText({ mode: s.mode, pipelined: s.pipelined }) : "?",
    state: s.state,
    lag: typeof s.lag === "number" ? s.lag : 0,
    topics: Array.isArray(s.topics) ? s.topics.filter((t) => typeof t === "string") : [],
    lastError: typeof s.lastError === "string" ? s.lastError : undefined,
  };
}

/** `worker` or `process`, and `· pipelined` for a view applying on its applier Worker. */
function modeText(status: { mode: string; pipelined?: unknown }): string {
  return status.pipelined === true ? `${status.mode} · pipelined` : status.mode;
}

/** Adds or replaces the row of `row.name`, keeping rows sorted by name. */
export function upsertRow(rows: ConsumerRow[], row: ConsumerRow): ConsumerRow[] {
  const others = rows.filter((r) => r.name !== row.name);
  return [...others, row].sort((a, b) => a.name.localeCompare(b.name));
}
