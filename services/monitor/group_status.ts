/**
 * A consumer group's status, after Burrow's consumer lag evaluation rules,
 * over a sliding window of the monitor's samples of one partition (see
 * docs/monitor.md for how they map onto Burrow's):
 *
 * - OK: no lag now, or some sample in the window had none, or too little
 *   history to judge;
 * - REWIND: the committed offset went backwards in the window and has not
 *   come back to where it was;
 * - STALL: the committed offset did not move over the whole window while
 *   there was lag, and a live member owns the partition;
 * - STOP: the same with no member owning it: nobody commits;
 * - WARN: offsets move but the lag did not decrease anywhere in the window;
 * - ERROR: the group could not be read (decided by the sampler).
 *
 * A group's status is the worst of its partitions'.
 */

/** The statuses, mildest first. */
export const GROUP_STATUSES = ["OK", "WARN", "REWIND", "STALL", "STOP", "ERROR"] as const;

/** A group's or partition's status. */
export type GroupStatus = typeof GROUP_STATUSES[number];

/** Statuses that make `/health` answer 503 for a Freshet consumer's group. */
export const UNHEALTHY_STATUSES: readonly GroupStatus[] = ["STALL", "STOP"];

/** One sample of a partition of a group. */
export interface WindowSample {
  /** Milliseconds since the epoch. */
  t: number;
  committed: number;
  lag: number;
}

/** What the rules need besides the samples. */
export interface StatusOptions {
  now: number;
  windowMs: number;
  /**
   * Sampling period: the window counts as covered when its oldest sample is
   * at most this late, or when a sample before the window is less than a
   * window older than it (a sampler running late under load still covers).
   */
  sampleMs: number;
  /** Whether a member of the group is assigned the partition now. */
  owned: boolean;
  /** Lag at or below this counts as none (default 0). */
  allowedLag?: number;
}

/** The severity of a status: its index in GROUP_STATUSES. */
export function severity(status: GroupStatus): number {
  return GROUP_STATUSES.indexOf(status);
}

/** The worst of `statuses` (OK for none). */
export function worstStatus(statuses: Iterable<GroupStatus>): GroupStatus {
  let worst: GroupStatus = "OK";
  for (const status of statuses) if (severity(status) > severity(worst)) worst = status;
  return worst;
}

/** Whether the committed offset went backwards and has not recovered since. */
function rewound(window: readonly WindowSample[]): boolean {
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1].committed;
    if (window[i].committed >= before) continue;
    if (!window.slice(i).some((s) => s.committed >= before)) return true;
  }
  return false;
}

/**
 * The status of one partition from its samples (any order). The rules read
 * the window's samples only; the last one before it says whether the
 * monitor was watching when the window began.
 */
export function partitionStatus(
  samples: readonly WindowSample[],
  options: StatusOptions,
): GroupStatus {
  const allowed = options.allowedLag ?? 0;
  const from = options.now - options.windowMs;
  const window = samples.filter((s) => s.t >= from && s.t <= options.now)
    .sort((a, b) => a.t - b.t);
  const current = window.at(-1);
  if (!current || current.lag <= allowed) return "OK";
  if (rewound(window)) return "REWIND";
  const before = samples.reduce<number | undefined>(
    (last, s) => s.t < from && (last === undefined || s.t > last) ? s.t : last,
    undefined,
  );
  const covered = window.length >= 2 &&
    (window[0].t - from <= options.sampleMs ||
      (before !== undefined && window[0].t - before <= options.windowMs));
  if (!covered) return "OK";
  if (window.some((s) => s.lag <= allowed)) return "OK";
  if (window.every((s) => s.committed === window[0].committed)) {
    return options.owned ? "STALL" : "STOP";
  }
  for (let i = 1; i < window.length; i++) {
    if (window[i].lag < window[i - 1].lag) return "OK";
  }
  return "WARN";
}
