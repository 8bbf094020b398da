/**
 * One benchmark run's results: the figures measured, the ratios between
 * figures of the same run, each against its target, and where it ran.
 * Written as one JSON file per run under `bench/results/`.
 */
import type { Throughput } from "./measure.ts";
import type { MachineInfo, VersionInfo } from "./run_info.ts";

/** A measured figure. */
export interface Figure {
  value: number;
  unit: string;
  what: string;
}

/** A ratio of two figures of this run, or a latency, checked against its target. */
export interface Check {
  name: string;
  value: number;
  /** `≥ 0.7`, `≤ 25`, or `for scale` (reported, no target). */
  target: string;
  pass: boolean | null;
}

/** A whole run. */
export interface RunResults {
  startedAt: string;
  finishedAt?: string;
  args: string[];
  options: Record<string, unknown>;
  machine: MachineInfo;
  versions: VersionInfo;
  figures: Record<string, Figure>;
  checks: Check[];
  /** Anything else worth keeping (CPU profile summaries, latency histograms). */
  notes: Record<string, unknown>;
}

/** Collects a run's figures and checks. */
export class Results {
  readonly data: RunResults;

  constructor(base: Omit<RunResults, "figures" | "checks" | "notes">) {
    this.data = { ...base, figures: {}, checks: [], notes: {} };
  }

  /** Records a figure; returns its value. */
  figure(name: string, value: number, unit: string, what: string): number {
    this.data.figures[name] = { value: round(value), unit, what };
    return value;
  }

  /** Records a throughput as `name` (per second) and `name.cpuUs` (CPU µs per message). */
  throughput(name: string, measured: Throughput, unit: string, what: string): Throughput {
    this.figure(name, measured.perSec, unit, what);
    this.figure(
      `${name}.cpuUs`,
      measured.cpuUsPerMsg,
      "CPU µs/msg",
      `${what}: CPU time per message`,
    );
    return measured;
  }

  /** Records `value` against `target` (`≥ x` or `≤ x`); null target: for scale only. */
  check(name: string, value: number, target?: { atLeast?: number; atMost?: number }): Check {
    const check: Check = target?.atLeast !== undefined
      ? { name, value: round(value), target: `≥ ${target.atLeast}`, pass: value >= target.atLeast }
      : target?.atMost !== undefined
      ? { name, value: round(value), target: `≤ ${target.atMost}`, pass: value <= target.atMost }
      : { name, value: round(value), target: "for scale", pass: null };
    this.data.checks.push(check);
    return check;
  }

  /** Writes the run to `dir/<start time>.json`; returns the path. */
  async write(dir: string): Promise<string> {
    this.data.finishedAt = new Date().toISOString();
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/${this.data.startedAt.replace(/[:.]/g, "-")}.json`;
    await Deno.writeTextFile(path, JSON.stringify(this.data, null, 2) + "\n");
    return path;
  }
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000;
}

/** A check as one line of the console report. */
export function describeCheck(check: Check): string {
  const verdict = check.pass === null ? "" : check.pass ? " ✔" : " ✘";
  return `${check.name}: ${check.value} (target ${check.target})${verdict}`;
}
