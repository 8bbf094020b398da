/**
 * The history of each partition's end offset, as lag in time needs it
 * (lag_time.ts): one point per sample while the end moves; a flat run is
 * kept as its first and last points (the last one's time moves forward).
 * An end that went down means the topic was recreated: its history starts over.
 */
import { type DatabaseSync, statement } from "../../shared/sqlite/sqlite.ts";
import type { EndPoint } from "./lag_time.ts";

/** Records the end offset of a partition at `t` (call inside the sample's transaction). */
export function recordEnd(
  db: DatabaseSync,
  point: { topic: string; partition: number; t: number; end: number; res: number },
): void {
  const { topic, partition, t, end, res } = point;
  const last = statement(
    db,
    `SELECT t, res, end_offset FROM end_offsets WHERE topic = ? AND partition = ?
     ORDER BY t DESC LIMIT 2`,
  ).all(topic, partition) as { t: number; res: number; end_offset: number }[];
  if (last.length > 0 && t <= last[0].t) return;
  if (last.length > 0 && end < last[0].end_offset) {
    statement(db, "DELETE FROM end_offsets WHERE topic = ? AND partition = ?").run(
      topic,
      partition,
    );
  } else if (last.length === 2 && last[0].end_offset === end && last[1].end_offset === end) {
    statement(
      db,
      "UPDATE end_offsets SET t = ?, res = ? WHERE topic = ? AND partition = ? AND t = ? AND res = ?",
    ).run(t, res, topic, partition, last[0].t, last[0].res);
    return;
  }
  statement(
    db,
    "INSERT INTO end_offsets (topic, partition, res, t, end_offset) VALUES (?, ?, ?, ?, ?)",
  ).run(topic, partition, res, t, end);
}

/**
 * The points lag in time needs for a group at `committed`, given the
 * current point (just recorded): the two around the committed offset, the
 * current one, and the oldest when the committed offset is older than all
 * of them (to extrapolate); oldest first.
 */
export function endPointsAround(
  db: DatabaseSync,
  topic: string,
  partition: number,
  committed: number,
  current: EndPoint,
): EndPoint[] {
  const one = (sql: string, ...args: number[]) =>
    statement(db, sql).get(topic, partition, ...args) as { t: number; end: number } | undefined;
  const left = one(
    `SELECT t, end_offset AS end FROM end_offsets WHERE topic = ? AND partition = ?
     AND end_offset <= ? ORDER BY end_offset DESC, t DESC LIMIT 1`,
    committed,
  );
  const right = one(
    `SELECT t, end_offset AS end FROM end_offsets WHERE topic = ? AND partition = ?
     AND end_offset > ? ORDER BY end_offset ASC, t ASC LIMIT 1`,
    committed,
  );
  const oldest = left ? undefined : one(
    `SELECT t, end_offset AS end FROM end_offsets WHERE topic = ? AND partition = ?
     ORDER BY t ASC LIMIT 1`,
  );
  const byTime = new Map<number, EndPoint>();
  for (const p of [oldest, left, right, current]) {
    if (p) byTime.set(Number(p.t), { t: Number(p.t), end: Number(p.end) });
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}
