/**
 * Reads of the groups for `/groups`, `/groups/:group`, their JSON API,
 * `/health` and `/metrics`: the latest sample of each group and partition,
 * and a group's lag series over a range (the worst of each bucket).
 */
import { type DatabaseSync, statement } from "../../../shared/sqlite/sqlite.ts";
import { clearEstimate } from "../clear_time.ts";
import type { MonitorSettings } from "../config.ts";
import { GROUP_STATUSES, type GroupStatus } from "../group_status.ts";
import { type RangeName, RANGES, rangeWindow } from "../range.ts";
import type {
  GroupDetail,
  GroupListRow,
  GroupMember,
  GroupPartition,
  GroupRow,
  GroupSeries,
  Point,
} from "./types.ts";

const SPARKLINE_MS = 15 * 60_000;
const SPARKLINE_POINTS = 30;

function statusOf(code: unknown): GroupStatus {
  return GROUP_STATUSES[Number(code)] ?? "ERROR";
}

function nullable(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

type Row = Record<string, unknown>;

function groupRow(row: Row, topics: string[]): GroupRow {
  return {
    group: String(row.grp),
    state: String(row.state),
    protocolType: String(row.protocol_type),
    members: (JSON.parse(String(row.members)) as unknown[]).length,
    topics,
    lag: Number(row.lag),
    lagMs: nullable(row.lag_ms),
    status: statusOf(row.status),
    error: row.error === null ? null : String(row.error),
    at: Number(row.at),
  };
}

function topicsByGroup(db: DatabaseSync): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (
    const row of statement(
      db,
      "SELECT DISTINCT grp, topic FROM partition_latest ORDER BY grp, topic",
    ).all()
  ) {
    const list = map.get(String(row.grp)) ?? [];
    list.push(String(row.topic));
    map.set(String(row.grp), list);
  }
  return map;
}

/** Every group of the latest sample: worst status first, then by name. */
export function listGroups(
  db: DatabaseSync,
  settings: MonitorSettings,
  now = Date.now(),
): GroupListRow[] {
  const topics = topicsByGroup(db);
  const rows = (statement(db, "SELECT * FROM group_state").all() as Row[])
    .map((row) => groupRow(row, topics.get(String(row.grp)) ?? []));
  rows.sort((a, b) =>
    GROUP_STATUSES.indexOf(b.status) - GROUP_STATUSES.indexOf(a.status) ||
    a.group.localeCompare(b.group)
  );
  const step = Math.max(settings.sampleMs, SPARKLINE_MS / SPARKLINE_POINTS);
  const last = Math.floor(now / step) * step;
  const from = last - (SPARKLINE_POINTS - 1) * step;
  const lines = new Map<string, Map<number, number>>();
  for (
    const row of statement(
      db,
      `SELECT grp, CAST(t / ?1 AS INTEGER) * ?1 AS b, MAX(lag) AS lag FROM group_samples
       WHERE res = ?3 AND t >= ?2 GROUP BY grp, b`,
    ).all(step, from, settings.sampleMs) as Row[]
  ) {
    const line = lines.get(String(row.grp)) ?? new Map<number, number>();
    line.set(Number(row.b), Number(row.lag));
    lines.set(String(row.grp), line);
  }
  return rows.map((row) => {
    const line = lines.get(row.group);
    const sparkline = Array.from(
      { length: SPARKLINE_POINTS },
      (_, i) => line?.get(from + i * step) ?? null,
    );
    return { ...row, sparkline };
  });
}

/** One group's latest sample, members, partitions and lag series over `range`; undefined if unknown. */
export function groupDetail(
  db: DatabaseSync,
  settings: MonitorSettings,
  group: string,
  range: RangeName,
  now = Date.now(),
): GroupDetail | undefined {
  const row = statement(db, "SELECT * FROM group_state WHERE grp = ?").get(group) as
    | Row
    | undefined;
  if (!row) return undefined;
  const partitions: GroupPartition[] = (statement(
    db,
    "SELECT * FROM partition_latest WHERE grp = ? ORDER BY topic, partition",
  ).all(group) as Row[]).map((p) => ({
    topic: String(p.topic),
    partition: Number(p.partition),
    committed: Number(p.committed),
    end: Number(p.end_offset),
    lag: Number(p.lag),
    lagMs: nullable(p.lag_ms),
    status: statusOf(p.status),
    owner: p.owner === null ? null : String(p.owner),
  }));
  const base = groupRow(row, [...new Set(partitions.map((p) => p.topic))]);
  const w = rangeWindow(RANGES[range], now, settings);
  const series = lagSeries(db, group, w);
  return {
    ...base,
    memberList: JSON.parse(String(row.members)) as GroupMember[],
    partitions,
    clear: clearOf(db, group, base, settings),
    range,
    step: w.step,
    columns: ["t", "lag", "lagMs"],
    series,
  };
}

/** Rates over the status window, from the oldest sample in it to the latest. */
function clearOf(db: DatabaseSync, group: string, latest: GroupRow, settings: MonitorSettings) {
  const sums = (t: number) =>
    statement(
      db,
      `SELECT SUM(committed) AS c, SUM(end_offset) AS e FROM partition_samples
       WHERE grp = ? AND t = ? AND res = ?`,
    ).get(group, t, settings.sampleMs) as Row | undefined;
  const first = statement(
    db,
    "SELECT MIN(t) AS t FROM partition_samples WHERE grp = ? AND t >= ? AND res = ?",
  ).get(group, latest.at - settings.windowMs, settings.sampleMs) as Row | undefined;
  const fromT = nullable(first?.t) ?? latest.at;
  const [a, b] = [sums(fromT), sums(latest.at)];
  return clearEstimate(latest.lag, {
    fromT,
    toT: latest.at,
    fromCommitted: Number(a?.c ?? 0),
    toCommitted: Number(b?.c ?? 0),
    fromEnd: Number(a?.e ?? 0),
    toEnd: Number(b?.e ?? 0),
  });
}

/** A window of stored rows: the resolution read, the first bucket and the bucket size. */
export interface SeriesWindow {
  res: number;
  from: number;
  step: number;
}

/** A group's lag series over a window: the worst lag and lag in time of each bucket. */
export function lagSeries(db: DatabaseSync, group: string, w: SeriesWindow): Point[] {
  return (statement(
    db,
    `SELECT CAST(t / ?1 AS INTEGER) * ?1 AS b, MAX(lag) AS lag, MAX(lag_ms) AS lag_ms
     FROM group_samples WHERE grp = ?2 AND t >= ?3 AND res = ?4 GROUP BY b ORDER BY b`,
  ).all(w.step, group, w.from, w.res) as Row[]).map((
    r,
  ) => [Number(r.b), Number(r.lag), nullable(r.lag_ms)]);
}

/** The groups with the most lag over a window, most first (at most `limit`). */
export function topLagGroups(db: DatabaseSync, w: SeriesWindow, limit: number): string[] {
  return (statement(
    db,
    `SELECT grp, MAX(lag) AS peak FROM group_samples WHERE res = ? AND t >= ? GROUP BY grp
     ORDER BY peak DESC, grp LIMIT ?`,
  ).all(w.res, w.from, limit) as Row[]).map((r) => String(r.grp));
}

/** The lag series of the groups with the most lag over `range` (at most `limit`). */
export function groupSeries(
  db: DatabaseSync,
  settings: MonitorSettings,
  range: RangeName,
  options: { now?: number; limit?: number; maxPoints?: number } = {},
): GroupSeries[] {
  const w = rangeWindow(RANGES[range], options.now ?? Date.now(), settings, options.maxPoints);
  const top = topLagGroups(db, w, options.limit ?? 12);
  const statuses = new Map(
    (statement(db, "SELECT grp, status FROM group_state").all() as Row[])
      .map((r) => [String(r.grp), statusOf(r.status)]),
  );
  return top.map((group) => ({
    group,
    status: statuses.get(group) ?? "OK",
    series: lagSeries(db, group, w),
  }));
}

/** The latest status of `groups` sampled since `since` (older samples are not trusted). */
export function latestGroupStatuses(
  db: DatabaseSync,
  groups: string[],
  since: number,
): Map<string, { status: GroupStatus; lag: number; lagMs: number | null }> {
  const result = new Map<string, { status: GroupStatus; lag: number; lagMs: number | null }>();
  const query = statement(db, "SELECT status, lag, lag_ms, at FROM group_state WHERE grp = ?");
  for (const group of new Set(groups)) {
    const row = query.get(group) as Row | undefined;
    if (!row || Number(row.at) < since) continue;
    result.set(group, {
      status: statusOf(row.status),
      lag: Number(row.lag),
      lagMs: nullable(row.lag_ms),
    });
  }
  return result;
}

/** Every group partition of the latest sample, for `/metrics`. */
export function partitionLags(db: DatabaseSync): (GroupPartition & { group: string })[] {
  return (statement(db, "SELECT * FROM partition_latest ORDER BY grp, topic, partition")
    .all() as Row[]).map((p) => ({
      group: String(p.grp),
      topic: String(p.topic),
      partition: Number(p.partition),
      committed: Number(p.committed),
      end: Number(p.end_offset),
      lag: Number(p.lag),
      lagMs: nullable(p.lag_ms),
      status: statusOf(p.status),
      owner: p.owner === null ? null : String(p.owner),
    }));
}

/** Every group's latest status. */
export function listGroupStatuses(db: DatabaseSync): { group: string; status: GroupStatus }[] {
  return (statement(db, "SELECT grp, status FROM group_state ORDER BY grp").all() as Row[])
    .map((r) => ({ group: String(r.grp), status: statusOf(r.status) }));
}
