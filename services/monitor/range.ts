/**
 * The ranges the pages and API offer (15 min to 7 days) and how a range is
 * cut into at most ~1,000 buckets: the step is a multiple of the stored
 * resolution the range reads (`resolutionFor`), so buckets never split a
 * stored sample.
 */
import { seriesResolutions } from "./rollup.ts";

/** Range names, shortest first. */
export const RANGES = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
} as const;

/** One of the offered ranges. */
export type RangeName = keyof typeof RANGES;

/** Most points of one series in an answer. */
export const MAX_POINTS = 1_000;

/** The stored resolutions. */
export interface Resolutions {
  sampleMs: number;
  coarseMs: number;
  fineRetentionMs: number;
}

/** `text` as a range name, or undefined. */
export function parseRange(text: string): RangeName | undefined {
  return Object.hasOwn(RANGES, text) ? text as RangeName : undefined;
}

/** Buckets of a range read at resolution `base`: steps of a multiple of it, at most `maxPoints`. */
function stepAt(rangeMs: number, base: number, maxPoints: number): number {
  return Math.max(1, Math.ceil(rangeMs / maxPoints / base)) * base;
}

/**
 * The stored resolution a range reads: the coarsest one at which the range
 * still gets at least half of its `maxPoints` buckets, so it reads as few
 * rows as its chart allows (the coarser series are written with the fine
 * ones, so they hold the same counts in fewer rows) — 24 h at 300 points
 * reads the five-minute rollup (288 buckets, as from the minute rows), 7 d
 * the twenty-minute one (252 buckets of 40 min instead of 296 of 34). Ranges
 * longer than the fine retention never read the fine rows; when no
 * resolution gives half the points, the finest the range may read.
 */
export function resolutionFor(rangeMs: number, res: Resolutions, maxPoints = MAX_POINTS): number {
  const finest = rangeMs >= res.fineRetentionMs ? res.coarseMs : res.sampleMs;
  const levels = seriesResolutions(res).filter((r) => r >= finest).reverse();
  return levels.find((r) => Math.floor(rangeMs / stepAt(rangeMs, r, maxPoints)) >= maxPoints / 2) ??
    finest;
}

/** Bucket size of a range: a multiple of the resolution it reads, at most MAX_POINTS buckets. */
export function stepFor(rangeMs: number, res: Resolutions, maxPoints = MAX_POINTS): number {
  return stepAt(rangeMs, resolutionFor(rangeMs, res, maxPoints), maxPoints);
}

/**
 * The window of a range ending at `now`: the resolution it reads,
 * bucket-aligned start, step, bucket count (at most `maxPoints` buckets:
 * the pages' charts ask for fewer than the API).
 */
export function rangeWindow(
  rangeMs: number,
  now: number,
  res: Resolutions,
  maxPoints = MAX_POINTS,
): { res: number; from: number; to: number; step: number; buckets: number } {
  const step = stepFor(rangeMs, res, maxPoints);
  const last = Math.floor(now / step) * step;
  const buckets = Math.floor(rangeMs / step);
  return {
    res: resolutionFor(rangeMs, res, maxPoints),
    from: last - (buckets - 1) * step,
    to: now,
    step,
    buckets,
  };
}

/**
 * Messages (or bytes) per second of a bucket starting at `t`: the newest,
 * still filling, is divided by the time it has run (at least one sample
 * period), the others by the whole step.
 */
export function ratePerSec(
  count: number,
  t: number,
  step: number,
  options: { now: number; sampleMs: number },
): number {
  const span = Math.min(step, Math.max(options.sampleMs, options.now - t));
  return count / (span / 1_000);
}
