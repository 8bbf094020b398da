/**
 * One lag sample written to the monitor's database: each partition's end
 * offset into its history, and for each group and partition the lag in
 * messages, the lag in time (lag_time.ts over the stored end-offset
 * history) and the status (group_status.ts over the stored samples of the
 * window), all in one transaction. Each group's lag goes into its series at
 * every stored resolution (the sampling period, the coarse one, the rollups).
 */
import { type DatabaseSync, statement, transaction } from "../../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "./config.ts";
import { endPointsAround, recordEnd } from "./end_history.ts";
import {
  type GroupStatus,
  partitionStatus,
  severity,
  type WindowSample,
  worstStatus,
} from "./group_status.ts";
import { lagTimeMs } from "./lag_time.ts";
import { seriesResolutions } from "./rollup.ts";

/** A member of a group as DescribeGroups tells it. */
export interface MemberInfo {
  memberId: string;
  clientId: string;
  host: string;
  assignment: { topic: string; partitions: number[] }[];
}

/** What the sampler read of one group. */
export interface GroupObservation {
  groupId: string;
  state: string;
  protocolType: string;
  members: MemberInfo[];
  /** Committed offsets (next offset to consume) of the partitions that have one. */
  offsets: { topic: string; partition: number; committed: number }[];
  /** Why the group could not be read, if it could not. */
  error?: string;
}

/** What the sampler read at one moment. */
export interface Observation {
  /** Sample time, aligned to the sampling period. */
  t: number;
  /** End offsets of the partitions that exist. */
  ends: { topic: string; partition: number; end: number }[];
  groups: GroupObservation[];
}

/** One partition of a group after a sample. */
export interface PartitionSummary {
  topic: string;
  partition: number;
  committed: number;
  end: number;
  lag: number;
  lagMs: number | null;
  status: GroupStatus;
  /** Client id of the member assigned the partition. */
  owner: string | null;
}

/** One group after a sample. */
export interface GroupSummary {
  group: string;
  state: string;
  members: number;
  lag: number;
  lagMs: number | null;
  status: GroupStatus;
  error?: string;
  partitions: PartitionSummary[];
}

/** Index of a status in the database (its severity). */
function code(status: GroupStatus): number {
  return severity(status);
}

function ownersOf(members: MemberInfo[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const m of members) {
    for (const a of m.assignment) {
      for (const p of a.partitions) owners.set(`${a.topic}:${p}`, m.clientId);
    }
  }
  return owners;
}

/** The partition's samples from `from` on, and the last one before it if any. */
function windowSamples(
  db: DatabaseSync,
  group: string,
  topic: string,
  partition: number,
  from: number,
): WindowSample[] {
  // The window's samples, and the last one before it (whether the window was watched from its start).
  const last = statement(
    db,
    `SELECT max(t) AS t FROM partition_samples
     WHERE grp = ? AND topic = ? AND partition = ? AND t < ?`,
  ).get(group, topic, partition, from) as { t: number | null } | undefined;
  const since = last?.t == null ? from : Number(last.t);
  return (statement(
    db,
    `SELECT t, committed, lag FROM partition_samples
     WHERE grp = ? AND topic = ? AND partition = ? AND t >= ? ORDER BY t`,
  ).all(group, topic, partition, since) as { t: number; committed: number; lag: number }[])
    .map((r) => ({ t: Number(r.t), committed: Number(r.committed), lag: Number(r.lag) }));
}

function summarise(
  db: DatabaseSync,
  obs: Observation,
  group: GroupObservation,
  ends: Map<string, number>,
  settings: MonitorSettings,
): GroupSummary {
  const owners = ownersOf(group.members);
  const partitions: PartitionSummary[] = [];
  for (const o of group.offsets) {
    const end = ends.get(`${o.topic}:${o.partition}`);
    if (end === undefined) continue;
    const lag = Math.max(0, end - o.committed);
    const owner = owners.get(`${o.topic}:${o.partition}`) ?? null;
    // No lag: 0 behind and OK whatever the history says (the rules' first case), no lookup needed.
    let lagMs: number | null = 0;
    let status: GroupStatus = "OK";
    if (lag > 0) {
      const points = endPointsAround(db, o.topic, o.partition, o.committed, { t: obs.t, end });
      lagMs = lagTimeMs(points, o.committed, obs.t);
      const from = obs.t - settings.windowMs;
      const history = windowSamples(db, group.groupId, o.topic, o.partition, from);
      history.push({ t: obs.t, committed: o.committed, lag });
      status = partitionStatus(history, {
        now: obs.t,
        windowMs: settings.windowMs,
        sampleMs: settings.sampleMs,
        owned: owner !== null,
      });
    }
    partitions.push({ ...o, end, lag, lagMs, status, owner });
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const lag = partitions.reduce((sum, p) => sum + p.lag, 0);
  const known = partitions.filter((p) => p.lagMs !== null).map((p) => p.lagMs!);
  const lagMs = known.length > 0 ? Math.max(...known) : lag === 0 ? 0 : null;
  const status = group.error ? "ERROR" : worstStatus(partitions.map((p) => p.status));
  return {
    group: group.groupId,
    state: group.state,
    members: group.members.length,
    lag,
    lagMs,
    status,
    error: group.error,
    partitions,
  };
}

/**
 * Writes one sample; returns each group's summary. `carried` holds the
 * summaries of groups carried forward instead of summarised (idle_groups.ts):
 * they are written the same way.
 */
export function recordSample(
  db: DatabaseSync,
  obs: Observation,
  settings: MonitorSettings,
  carried: ReadonlyMap<string, GroupSummary> = new Map(),
): GroupSummary[] {
  const res = settings.sampleMs;
  return transaction(db, () => {
    const ends = new Map<string, number>();
    for (const e of obs.ends) {
      ends.set(`${e.topic}:${e.partition}`, e.end);
      recordEnd(db, { topic: e.topic, partition: e.partition, t: obs.t, end: e.end, res });
    }
    const insertPartition = statement(
      db,
      `INSERT OR REPLACE INTO partition_samples
       (grp, topic, partition, res, t, committed, end_offset, lag, lag_ms, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const latest = statement(
      db,
      `INSERT OR REPLACE INTO partition_latest
       (grp, topic, partition, committed, end_offset, lag, lag_ms, status, owner, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const summaries: GroupSummary[] = [];
    for (const group of obs.groups) {
      const s = carried.get(group.groupId) ?? summarise(db, obs, group, ends, settings);
      summaries.push(s);
      for (const p of s.partitions) {
        const row = [p.committed, p.end, p.lag, p.lagMs, code(p.status)];
        insertPartition.run(s.group, p.topic, p.partition, res, obs.t, ...row);
        latest.run(s.group, p.topic, p.partition, ...row, p.owner, obs.t);
      }
      statement(
        db,
        `INSERT OR REPLACE INTO group_samples (grp, res, t, lag, lag_ms, status)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(s.group, res, obs.t, s.lag, s.lagMs, code(s.status));
      // The coarser rows hold the worst of their bucket (a worse sample raises them, none lowers).
      for (const coarser of seriesResolutions(settings).filter((r) => r !== res)) {
        statement(
          db,
          `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET lag = MAX(lag, excluded.lag),
           lag_ms = MAX(COALESCE(lag_ms, excluded.lag_ms), COALESCE(excluded.lag_ms, lag_ms)),
           status = MAX(status, excluded.status)`,
        ).run(
          s.group,
          coarser,
          Math.floor(obs.t / coarser) * coarser,
          s.lag,
          s.lagMs,
          code(s.status),
        );
      }
      statement(
        db,
        `INSERT OR REPLACE INTO group_state
         (grp, state, protocol_type, members, lag, lag_ms, status, error, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.group,
        group.state,
        group.protocolType,
        JSON.stringify(group.members),
        s.lag,
        s.lagMs,
        code(s.status),
        s.error ?? null,
        obs.t,
      );
    }
    // Groups and partitions not seen in this sample are gone (deleted, or expired).
    statement(db, "DELETE FROM group_state WHERE at < ?").run(obs.t);
    statement(db, "DELETE FROM partition_latest WHERE at < ?").run(obs.t);
    return summaries;
  });
}
