/**
 * The monitor's rollups: per topic and per group, five- and twenty-minute
 * rows written as traffic is counted and lag sampled (summed, or the worst
 * of the bucket), so the longer ranges read one row per topic or group and
 * five or twenty minutes instead of one per minute (docs/monitor.md,
 * "Retention and downsampling"): the day's chart at 300 points reads the
 * five-minute rows (288 buckets of 5 min), the week's the twenty-minute
 * ones (252 buckets of 40 min; the week's API at 1,000 points, 504 of 20
 * min). Each is the smallest multiple of the coarse resolution at least
 * that large; none that is not coarser than the coarse resolution.
 */

/** The rollups' target sizes, finest first. */
export const ROLLUP_TARGETS_MS = [5 * 60_000, 20 * 60_000];

/** The rollup resolutions over `coarseMs`, finest first (each coarser than it). */
export function rollupsOf(coarseMs: number): number[] {
  const sizes = ROLLUP_TARGETS_MS.map((ms) => Math.ceil(ms / coarseMs) * coarseMs);
  return [...new Set(sizes)].filter((ms) => ms > coarseMs);
}

/** The stored resolutions of the per-topic traffic and the group lag, finest first. */
export function seriesResolutions(settings: { sampleMs: number; coarseMs: number }): number[] {
  return [...new Set([settings.sampleMs, settings.coarseMs, ...rollupsOf(settings.coarseMs)])];
}
