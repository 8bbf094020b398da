/**
 * Rounds of a memory measurement (memory_bench.ts): the same work done
 * again and again, the resident set read after each. The first pass is a
 * warm-up and not counted — V8 grows its heap, SQLite fills its cache,
 * sockets and fetch buffers reach their size — then ten rounds; the leak
 * check is the RSS after the tenth round over the RSS after the first
 * (issue 22: within 10 %). The warm-up is stated wherever a figure is.
 */

/** Rounds counted after the warm-up. */
export const ROUNDS = 10;

/** Passes done first and not counted. */
export const WARMUP_ROUNDS = 1;

const MiB = 2 ** 20;

/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;

/** The median of `values` (the upper middle of an even count). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Where each pass over a backlog of `total` ends, cumulative: the warm-up
 * pass(es), then `rounds` rounds, all equal (the last one ends at `total`).
 */
export function roundMarks(total: number, rounds = ROUNDS, warmups = WARMUP_ROUNDS): number[] {
  const passes = rounds + warmups;
  if (!Number.isInteger(total) || total < passes) {
    throw new Error(`a backlog of ${total} cannot be cut into ${passes} passes`);
  }
  return Array.from({ length: passes }, (_, i) => Math.round((total * (i + 1)) / passes));
}

/** A measurement's figures over its rounds, MiB. */
export interface RoundFigures {
  /** RSS after the warm-up pass(es), not counted. */
  warmupMiB: number[];
  /** RSS after each counted round. */
  roundsMiB: number[];
  /** Median of the counted rounds. */
  steadyMiB: number;
  /** Highest RSS sampled over the whole run, warm-up included. */
  peakMiB: number;
  /** RSS after the last round over after the first counted one. */
  leakRatio: number;
}

/** Figures of RSS readings taken after each pass (warm-up first), and the sampled peak (bytes). */
export function roundFigures(
  afterEachPass: number[],
  peakBytes: number,
  warmups = WARMUP_ROUNDS,
): RoundFigures {
  const rounds = afterEachPass.slice(warmups);
  if (rounds.length < 2) throw new Error(`${rounds.length} counted round(s): need at least 2`);
  return {
    warmupMiB: afterEachPass.slice(0, warmups).map(mib),
    roundsMiB: rounds.map(mib),
    steadyMiB: mib(median(rounds)),
    peakMiB: mib(Math.max(peakBytes, ...afterEachPass)),
    leakRatio: rounds.at(-1)! / rounds[0],
  };
}
