/**
 * A doctor's database: the demands it has seen and what became of them.
 * One module per store, plain functions, one interface per entity.
 *
 * Statuses: `pending` (new), `assumed` (this doctor took it), `ignored`
 * (this doctor passed), `taken` (another doctor's `demands.assumed` came
 * first in the partition log).
 */
import { enqueue } from "../../shared/outbox/outbox.ts";
import {
  type DatabaseSync,
  type Migration,
  statement,
  transaction,
} from "../../shared/sqlite/sqlite.ts";
import { type Demand, type DemandAssumed, DEMANDS_ASSUMED } from "./demand.ts";

/** What a doctor can see of a demand. */
export type DemandStatus = "pending" | "assumed" | "ignored" | "taken";

/** A demand row. */
export interface DemandRow {
  id: string;
  type: string;
  lat: number;
  lng: number;
  priority: string;
  status: DemandStatus;
  /** The doctor whose `demands.assumed` came first, once known. */
  assignedTo: string | null;
  assumedAt: string | null;
  receivedAt: string;
  topic: string;
  partition: number;
  offset: number;
}

/** Migrations of a doctor's database. */
export const DOCTOR_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "demands and assumptions",
  up: `
    CREATE TABLE demands (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      lat REAL NOT NULL,
      lng REAL NOT NULL,
      priority TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'assumed', 'ignored', 'taken')),
      assumed_at TEXT,
      received_at TEXT NOT NULL,
      topic TEXT NOT NULL,
      partition INTEGER NOT NULL,
      offset INTEGER NOT NULL
    );
    CREATE INDEX demands_received ON demands (received_at DESC);
    -- The first demands.assumed of each demand in the log: it wins everywhere.
    CREATE TABLE assignments (
      demand_id TEXT PRIMARY KEY,
      doctor TEXT NOT NULL,
      assumed_at TEXT NOT NULL,
      partition INTEGER NOT NULL,
      offset INTEGER NOT NULL
    );
  `,
}];

const SELECT = `
  SELECT d.id, d.type, d.lat, d.lng, d.priority, d.status, d.assumed_at AS assumedAt,
         d.received_at AS receivedAt, d.topic, d.partition, d.offset, a.doctor AS assignedTo
  FROM demands d LEFT JOIN assignments a ON a.demand_id = d.id`;

/**
 * The demand's row in one statement: its status comes from a
 * `demands.assumed` that arrived first (another topic, so possibly earlier),
 * looked up by SQLite in the same step instead of a separate query.
 */
const INSERT_DEMAND = `
  INSERT INTO demands (id, type, lat, lng, priority, payload, status, received_at, topic, partition, offset)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6,
    coalesce((SELECT CASE doctor WHEN ?7 THEN 'assumed' ELSE 'taken' END
              FROM assignments WHERE demand_id = ?1), 'pending'),
    ?8, ?9, ?10, ?11)
  ON CONFLICT (id) DO NOTHING`;

let clockMs = 0;
let clockIso = "";

/** Now as ISO 8601, formatted at most once per millisecond (a batch inserts thousands a second). */
function nowIso(): string {
  const ms = Date.now();
  if (ms !== clockMs) {
    clockMs = ms;
    clockIso = new Date(ms).toISOString();
  }
  return clockIso;
}

/** Stores a received demand; returns false if that id was already known (first one kept). */
export function insertDemand(
  db: DatabaseSync,
  doctor: string,
  demand: Demand,
  source: { topic: string; partition: number; offset: number; receivedAt?: string },
): boolean {
  const result = statement(db, INSERT_DEMAND).run(
    demand.id,
    demand.type,
    demand.location.lat,
    demand.location.lng,
    demand.metadata.priority,
    JSON.stringify(demand),
    doctor,
    source.receivedAt ?? nowIso(),
    source.topic,
    source.partition,
    source.offset,
  );
  return Number(result.changes) > 0;
}

/**
 * Records a `demands.assumed` event. The first one per demand wins; the
 * demand becomes `assumed` if the winner is this doctor, `taken` otherwise.
 * Returns the winner.
 */
export function recordAssignment(
  db: DatabaseSync,
  doctor: string,
  event: DemandAssumed,
  source: { partition: number; offset: number },
): string {
  statement(
    db,
    `INSERT INTO assignments (demand_id, doctor, assumed_at, partition, offset) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (demand_id) DO NOTHING`,
  ).run(event.id, event.doctor, event.assumedAt, source.partition, source.offset);
  const winner = statement(db, "SELECT doctor, assumed_at FROM assignments WHERE demand_id = ?")
    .get(event.id)!;
  statement(db, "UPDATE demands SET status = ?, assumed_at = coalesce(assumed_at, ?) WHERE id = ?")
    .run(
      winner.doctor === doctor ? "assumed" : "taken",
      String(winner.assumed_at),
      event.id,
    );
  return String(winner.doctor);
}

/** Columns a demand list sorts by. */
export const DEMAND_SORTS = ["received", "priority", "type", "status"] as const;
/** One of `DEMAND_SORTS`. */
export type DemandSort = typeof DEMAND_SORTS[number];

const SORT_SQL: Record<DemandSort, string> = {
  received: "d.received_at",
  priority:
    "CASE d.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END",
  type: "d.type",
  status: "d.status",
};

/** Filters of `listDemands`. */
export interface DemandFilter {
  status?: DemandStatus;
  priority?: string;
  type?: string;
  limit?: number;
  /** Rows skipped (paging). */
  offset?: number;
  /** Sort column (default received) and direction (default desc: newest, most urgent first). */
  sort?: DemandSort;
  dir?: "asc" | "desc";
}

function whereOf(filter: DemandFilter): { sql: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.status) (where.push("d.status = ?"), args.push(filter.status));
  if (filter.priority) (where.push("d.priority = ?"), args.push(filter.priority));
  if (filter.type) (where.push("d.type = ?"), args.push(filter.type));
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", args };
}

/** A page of demands, newest first unless `filter.sort` says otherwise. */
export function listDemands(db: DatabaseSync, filter: DemandFilter = {}): DemandRow[] {
  const { sql: where, args } = whereOf(filter);
  // "desc" on priority means the most urgent first: its SQL ranks critical lowest.
  const sort = filter.sort ?? "received";
  const desc = (filter.dir ?? "desc") === "desc";
  const dir = (sort === "priority" ? !desc : desc) ? "DESC" : "ASC";
  const sql = `${SELECT} ${where}
    ORDER BY ${SORT_SQL[sort]} ${dir}, d.received_at DESC, d.offset DESC LIMIT ? OFFSET ?`;
  return statement(db, sql).all(
    ...args,
    filter.limit ?? 200,
    filter.offset ?? 0,
  ) as unknown as DemandRow[];
}

/** How many demands pass `filter` (its paging ignored). */
export function countDemands(db: DatabaseSync, filter: DemandFilter = {}): number {
  const { sql: where, args } = whereOf(filter);
  return Number(statement(db, `SELECT count(*) AS n FROM demands d ${where}`).get(...args)!.n);
}

/** One demand, or undefined. */
export function getDemand(db: DatabaseSync, id: string): DemandRow | undefined {
  return statement(db, `${SELECT} WHERE d.id = ?`).get(id) as unknown as DemandRow | undefined;
}

/** Number of demands per status. */
export function countByStatus(db: DatabaseSync): Record<DemandStatus, number> {
  const counts: Record<DemandStatus, number> = { pending: 0, assumed: 0, ignored: 0, taken: 0 };
  for (
    const row of statement(db, "SELECT status, count(*) AS n FROM demands GROUP BY status").all()
  ) {
    counts[row.status as DemandStatus] = Number(row.n);
  }
  return counts;
}

/** Outcome of an assume or ignore request. */
export type DecisionResult =
  | { ok: true; demand: DemandRow; eventId?: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; demand: DemandRow };

/**
 * Assumes a pending demand: status `assumed` and a `demands.assumed` event
 * in the outbox, in one transaction. Asking again for a demand this doctor
 * already assumed returns it without a second event (a retried request).
 */
export function assumeDemand(
  db: DatabaseSync,
  doctor: string,
  id: string,
  assumedTopic: string = DEMANDS_ASSUMED,
): DecisionResult {
  return transaction(db, () => {
    const demand = getDemand(db, id);
    if (!demand) return { ok: false, reason: "not_found" };
    if (demand.status === "assumed" && (demand.assignedTo ?? doctor) === doctor) {
      return { ok: true, demand };
    }
    if (demand.status !== "pending") return { ok: false, reason: "conflict", demand };
    const assumedAt = new Date().toISOString();
    statement(db, "UPDATE demands SET status = 'assumed', assumed_at = ? WHERE id = ?").run(
      assumedAt,
      id,
    );
    const event: DemandAssumed = { id, doctor, assumedAt };
    const eventId = enqueue(db, {
      topic: assumedTopic,
      key: id,
      value: event,
      type: DEMANDS_ASSUMED,
      source: `freshet/${doctor}`,
    });
    return { ok: true, demand: getDemand(db, id)!, eventId };
  });
}

/** Ignores a pending demand (status only, no event). */
export function ignoreDemand(db: DatabaseSync, id: string): DecisionResult {
  return transaction(db, () => {
    const demand = getDemand(db, id);
    if (!demand) return { ok: false, reason: "not_found" };
    if (demand.status !== "pending") return { ok: false, reason: "conflict", demand };
    statement(db, "UPDATE demands SET status = 'ignored' WHERE id = ?").run(id);
    return { ok: true, demand: getDemand(db, id)! };
  });
}

/** The types of the demands, most frequent first (at most `limit`), for filter suggestions. */
export function listTypes(db: DatabaseSync, limit = 50): string[] {
  return statement(
    db,
    "SELECT type FROM demands GROUP BY type ORDER BY count(*) DESC, type LIMIT ?",
  ).all(limit).map((row) => String(row.type));
}
