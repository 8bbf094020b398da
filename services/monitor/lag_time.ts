/**
 * Lag in time, as kafka-lag-exporter estimates it: the history of a
 * partition's end offset (points `{t, end}`, oldest first) says when the
 * log's end was at the group's committed offset; the group is that far
 * behind. Between two known points the moment is interpolated linearly;
 * before the oldest point it is extrapolated from the whole history's rate.
 *
 * Flat runs (the end offset not moving) should be stored as their first and
 * last points: the estimate then uses the last moment the end was at the
 * committed offset, which is how far behind the group really is.
 */

/** One reading of a partition's end offset (log end, i.e. the next offset to be written). */
export interface EndPoint {
  /** Milliseconds since the epoch. */
  t: number;
  end: number;
}

/** When the log's end was at `offset`, estimated from `points` (oldest first); null if unknown. */
export function timeAtOffset(points: readonly EndPoint[], offset: number): number | null {
  if (points.length === 0) return null;
  for (let i = points.length - 1; i > 0; i--) {
    const left = points[i - 1];
    const right = points[i];
    if (left.end <= offset && offset < right.end) return interpolate(left, right, offset);
    if (right.end <= offset) return right.t;
  }
  const first = points[0];
  if (first.end <= offset) return first.t;
  const last = points[points.length - 1];
  if (points.length < 2 || last.end <= first.end || last.t <= first.t) return null;
  return interpolate(first, last, offset);
}

function interpolate(a: EndPoint, b: EndPoint, offset: number): number {
  return a.t + (offset - a.end) * (b.t - a.t) / (b.end - a.end);
}

/**
 * How far behind (milliseconds) a group whose next offset is `committed`
 * is at `now`, given the end-offset history whose newest point is the
 * current end: 0 when it is at the end, null when the history cannot tell.
 */
export function lagTimeMs(
  points: readonly EndPoint[],
  committed: number,
  now: number,
): number | null {
  const newest = points.at(-1);
  if (!newest) return null;
  if (committed >= newest.end) return 0;
  const at = timeAtOffset(points, committed);
  return at === null ? null : Math.max(0, Math.round(now - at));
}
