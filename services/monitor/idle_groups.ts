/**
 * Idle groups are summarised less often. Every sample still reads every
 * group (its state, members and committed offsets: a few batched requests)
 * and every partition's end; what an idle group skips is the work of its
 * summary — the lag-in-time lookups in the end-offset history and the
 * status rules over the window's samples, per partition.
 *
 * A group is idle when nothing its summary depends on moved since its
 * last full summary — its state, members and assignment, its committed
 * offsets, and the ends of those partitions — and that summary is one
 * time alone cannot change: every partition either without lag (OK), or
 * STALL or STOP (the window holds one committed offset, and every sample
 * keeps being written). Such a group's last summary is carried forward:
 * the same lag, the same statuses, and its lag in time advanced by the
 * time passed (the end-offset history it was read from did not change, so
 * that is what a full summary would say). Carried summaries are written
 * like full ones (samples, latest rows, the `lag` note), so the pages and
 * the status windows see a sample every period either way. A full summary
 * is taken again after `fullEveryMs` at most, and at once when anything moved.
 */
import type { GroupObservation, GroupSummary, Observation } from "./sample_store.ts";

/** What a group's summary depends on besides time, as one comparable string. */
export function groupInputs(group: GroupObservation, ends: Map<string, number>): string {
  return JSON.stringify([
    group.state,
    group.error ?? null,
    group.members,
    group.offsets.map((
      o,
    ) => [o.topic, o.partition, o.committed, ends.get(`${o.topic}:${o.partition}`)]),
  ]);
}

/** Whether time alone cannot change `summary` (besides its lag in time, which only grows). */
export function timeProof(summary: GroupSummary): boolean {
  if (summary.error || summary.status === "ERROR") return false;
  return summary.partitions.every((p) =>
    p.lag === 0 ? p.status === "OK" : p.status === "STALL" || p.status === "STOP"
  );
}

/** `summary`, taken at `from`, as it reads at `to`: lag in time advanced by the time between. */
export function carriedForward(summary: GroupSummary, from: number, to: number): GroupSummary {
  const advance = (ms: number | null, lag: number) =>
    ms === null || lag === 0 ? ms : ms + to - from;
  const partitions = summary.partitions.map((p) => ({ ...p, lagMs: advance(p.lagMs, p.lag) }));
  const known = partitions.filter((p) => p.lagMs !== null).map((p) => p.lagMs!);
  const lagMs = known.length > 0 ? Math.max(...known) : summary.lag === 0 ? 0 : null;
  return { ...summary, lagMs, partitions };
}

interface Remembered {
  inputs: string;
  summary: GroupSummary;
  /** When `summary` was written. */
  t: number;
  /** When the last full summary was taken. */
  fullAt: number;
}

/** The sampler's memory of each group's last summary, deciding which to carry forward. */
export class IdleGroups {
  readonly #fullEveryMs: number;
  #last = new Map<string, Remembered>();
  /** Summaries carried forward since start (for tests and the status). */
  carried = 0;

  constructor(options: { fullEveryMs: number }) {
    this.#fullEveryMs = options.fullEveryMs;
  }

  /** The summaries to carry forward at `obs.t` instead of summarising, by group. */
  carry(obs: Observation): Map<string, GroupSummary> {
    const ends = new Map(obs.ends.map((e) => [`${e.topic}:${e.partition}`, e.end]));
    const carried = new Map<string, GroupSummary>();
    for (const group of obs.groups) {
      const last = this.#last.get(group.groupId);
      if (!last || obs.t <= last.t || obs.t - last.fullAt >= this.#fullEveryMs) continue;
      if (!timeProof(last.summary) || last.inputs !== groupInputs(group, ends)) continue;
      carried.set(group.groupId, carriedForward(last.summary, last.t, obs.t));
    }
    return carried;
  }

  /** Remembers what was written at `obs.t` (`carried`: the groups `carry` answered for). */
  remember(obs: Observation, summaries: GroupSummary[], carried: Map<string, GroupSummary>): void {
    const ends = new Map(obs.ends.map((e) => [`${e.topic}:${e.partition}`, e.end]));
    const next = new Map<string, Remembered>();
    const byGroup = new Map(summaries.map((s) => [s.group, s]));
    for (const group of obs.groups) {
      const summary = byGroup.get(group.groupId);
      if (!summary) continue;
      const wasCarried = carried.has(group.groupId);
      next.set(group.groupId, {
        inputs: groupInputs(group, ends),
        summary,
        t: obs.t,
        fullAt: wasCarried ? this.#last.get(group.groupId)!.fullAt : obs.t,
      });
    }
    this.carried += carried.size;
    this.#last = next;
  }
}
