/**
 * The monitor's third resolution: per topic and per group, ten-minute rows
 * written as traffic is counted and lag sampled (summed, or the worst of
 * the ten minutes), so the longest range reads one row per topic or group
 * and ten minutes instead of one per minute (docs/monitor.md, "Retention
 * and downsampling"). Its size is the smallest multiple of the coarse
 * resolution that is at least ten minutes; none when the coarse resolution
 * is that large already.
 */

/** The rollup's target size. */
export const ROLLUP_TARGET_MS = 10 * 60_000;

/** The rollup resolution over `coarseMs`, or undefined when the coarse rows are as coarse. */
export function rollupMs(coarseMs: number): number | undefined {
  const ms = Math.ceil(ROLLUP_TARGET_MS / coarseMs) * coarseMs;
  return ms > coarseMs ? ms : undefined;
}

/** The stored resolutions of the per-topic traffic and the group lag, finest first. */
export function seriesResolutions(settings: { sampleMs: number; coarseMs: number }): number[] {
  const rollup = rollupMs(settings.coarseMs);
  return [...new Set([settings.sampleMs, settings.coarseMs, ...(rollup ? [rollup] : [])])];
}
