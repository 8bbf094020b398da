/**
 * A demand as the doctor's API answers it, the bus carries it and the
 * `/demands` page shows it. Imported by the DemandBoard island: it must
 * stay free of server-only code (no zod, no SQLite; type imports only).
 */
import type { DemandRow, DemandStatus } from "./doctor_db.ts";

export type { DemandRow, DemandStatus } from "./doctor_db.ts";

/**
 * Bus topic of demand changes: `created` and `updated`, with data
 * `{doctor, demand}` (the same value as services/demands/consumer.ts's
 * `DEMANDS_BUS_TOPIC`, kept here so islands need not import the consumer).
 */
export const DEMANDS_BUS_TOPIC = "demands";

/** Every status, in the order the page lists them. */
export const DEMAND_STATUSES: readonly DemandStatus[] = ["pending", "assumed", "ignored", "taken"];

/** Number of demands per status. */
export type StatusCounts = Record<DemandStatus, number>;

/** Whether `value` is a status. */
export function isDemandStatus(value: unknown): value is DemandStatus {
  return typeof value === "string" && (DEMAND_STATUSES as readonly string[]).includes(value);
}

/** What a bus note of topic `demands` carries. */
export interface DemandNote {
  /** The doctor whose database changed. */
  doctor: string;
  demand: DemandRow;
}

const text = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/**
 * A note that arrived in the browser, where it was not validated:
 * undefined unless it names a doctor and a demand with an id and a status.
 */
export function parseDemandNote(data: unknown): DemandNote | undefined {
  const note = data as { doctor?: unknown; demand?: Partial<DemandRow> } | null;
  const d = note?.demand;
  if (typeof note?.doctor !== "string" || typeof d?.id !== "string") return undefined;
  if (!isDemandStatus(d.status)) return undefined;
  return {
    doctor: note.doctor,
    demand: {
      id: d.id,
      type: text(d.type),
      lat: num(d.lat),
      lng: num(d.lng),
      priority: text(d.priority),
      status: d.status,
      assignedTo: typeof d.assignedTo === "string" ? d.assignedTo : null,
      assumedAt: typeof d.assumedAt === "string" ? d.assumedAt : null,
      receivedAt: text(d.receivedAt),
      topic: text(d.topic),
      partition: num(d.partition),
      offset: num(d.offset),
    },
  };
}

/** `rows` with `row` put in: replaced where its id already is, else added on top. */
export function upsertDemand(rows: DemandRow[], row: DemandRow): DemandRow[] {
  const index = rows.findIndex((r) => r.id === row.id);
  if (index < 0) return [row, ...rows];
  return rows.map((r, i) => (i === index ? row : r));
}

/** `counts` after one demand moved from `before` (absent: new) to `after`. */
export function recount(
  counts: StatusCounts,
  before: DemandStatus | undefined,
  after: DemandStatus,
): StatusCounts {
  if (before === after) return counts;
  const next = { ...counts, [after]: counts[after] + 1 };
  if (before) next[before] = Math.max(0, next[before] - 1);
  return next;
}

/** What the list shows (empty fields: any). */
export interface DemandFilterValues {
  status?: DemandStatus;
  priority?: string;
  type?: string;
  /** Sort column (`received`, `priority`, `type`, `status`; default received) and direction. */
  sort?: string;
  dir?: "asc" | "desc";
  /** Page number, from 1. */
  page?: number;
}

/** Whether `row` passes `filter`. */
export function matchesFilter(row: DemandRow, filter: DemandFilterValues): boolean {
  return (!filter.status || row.status === filter.status) &&
    (!filter.priority || row.priority === filter.priority) &&
    (!filter.type || row.type === filter.type);
}

/** `?status=&priority=&type=&sort=&dir=&page=` of `filter` (empty string for the defaults). */
export function filterSearch(filter: DemandFilterValues): string {
  const params = new URLSearchParams();
  for (const name of ["status", "priority", "type", "sort", "dir"] as const) {
    if (filter[name]) params.set(name, filter[name]!);
  }
  if (filter.page && filter.page > 1) params.set("page", String(filter.page));
  const search = params.toString();
  return search ? `?${search}` : "";
}
