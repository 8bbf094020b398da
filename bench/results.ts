/**
 * One benchmark run's results: the figures measured, the ratios between
 * figures of the same run, each against its target, where it ran, and how
 * each section ended. Written as one JSON file per run under
 * `bench/results/`, again as each section ends, so a run stopped or failed
 * half way keeps what it measured (the file is valid JSON at every moment:
 * written to a temporary file, then renamed over the old one).
 */
import { errorMessage } from "../shared/core/errors.ts";
import type { Throughput } from "./measure.ts";
import type { MachineInfo, VersionInfo } from "./run_info.ts";

/** A measured figure. */
export interface Figure {
  value: number;
  unit: string;
  what: string;
  /** The section that measured it. */
  section?: string;
}

/** A ratio of two figures of this run, or a latency, checked against its target. */
export interface Check {
  name: string;
  value: number;
  /** `≥ 0.7`, `≤ 25`, or `for scale` (reported, no target). */
  target: string;
  pass: boolean | null;
  /** The section that measured it. */
  section?: string;
}

/** How a section of the run went. */
export interface SectionOutcome {
  name: string;
  status: "running" | "ok" | "failed";
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  /** A failed section's error: its message, then the first lines of its stack. */
  error?: string;
}

/** A whole run. */
export interface RunResults {
  startedAt: string;
  finishedAt?: string;
  args: string[];
  options: Record<string, unknown>;
  machine: MachineInfo;
  versions: VersionInfo;
  /** Each section as it ended (missing in runs written before sections were recorded). */
  sections?: SectionOutcome[];
  figures: Record<string, Figure>;
  checks: Check[];
  /** Anything else worth keeping (CPU profile summaries, latency histograms). */
  notes: Record<string, unknown>;
}

/** The file of a run started at `startedAt` in `dir`. */
export function resultsPath(dir: string, startedAt: string): string {
  return `${dir}/${startedAt.replace(/[:.]/g, "-")}.json`;
}

/** Collects a run's figures and checks, and saves them as each section ends. */
export class Results {
  readonly data: RunResults;
  #section?: string;

  constructor(base: Omit<RunResults, "figures" | "checks" | "notes" | "sections">) {
    this.data = { ...base, sections: [], figures: {}, checks: [], notes: {} };
  }

  /** Records a figure; returns its value. */
  figure(name: string, value: number, unit: string, what: string): number {
    this.data.figures[name] = { value: round(value), unit, what, section: this.#section };
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
    const section = this.#section;
    const check: Check = target?.atLeast !== undefined
      ? {
        name,
        value: round(value),
        target: `≥ ${target.atLeast}`,
        pass: value >= target.atLeast,
        section,
      }
      : target?.atMost !== undefined
      ? {
        name,
        value: round(value),
        target: `≤ ${target.atMost}`,
        pass: value <= target.atMost,
        section,
      }
      : { name, value: round(value), target: "for scale", pass: null, section };
    this.data.checks.push(check);
    return check;
  }

  /**
   * Runs one section: recorded as running (and saved to `path`) before it
   * starts, as ok or failed with its error (and saved again) when it ends.
   * A failed section does not stop the run: its error is kept, the figures
   * it measured before failing too, and the next section runs. Returns
   * whether it succeeded.
   */
  async section(name: string, path: string, run: () => Promise<void>): Promise<boolean> {
    const started = performance.now();
    const outcome: SectionOutcome = {
      name,
      status: "running",
      startedAt: new Date().toISOString(),
    };
    this.data.sections!.push(outcome);
    this.#section = name;
    await this.save(path);
    try {
      await run();
      outcome.status = "ok";
    } catch (error) {
      outcome.status = "failed";
      outcome.error = describeError(error);
    } finally {
      this.#section = undefined;
      outcome.finishedAt = new Date().toISOString();
      outcome.seconds = Math.round((performance.now() - started) / 100) / 10;
    }
    await this.save(path);
    return outcome.status === "ok";
  }

  /** The sections that failed. */
  failedSections(): SectionOutcome[] {
    return (this.data.sections ?? []).filter((s) => s.status === "failed");
  }

  /** Writes the run to `path` whole (a temporary file renamed over it: never half a file). */
  async save(path: string): Promise<void> {
    const dir = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(dir, { recursive: true });
    const tmp = `${path}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(this.data, null, 2) + "\n");
    await Deno.rename(tmp, path);
  }

  /** Marks the run finished and writes it to `path`. */
  async finish(path: string): Promise<void> {
    this.data.finishedAt = new Date().toISOString();
    await this.save(path);
  }
}

function describeError(error: unknown): string {
  const stack = error instanceof Error && error.stack
    ? error.stack.split("\n").slice(1, 6).map((l) => l.trim())
    : [];
  return [errorMessage(error), ...stack].join("\n");
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000;
}

/** A check as one line of the console report. */
export function describeCheck(check: Check): string {
  const verdict = check.pass === null ? "" : check.pass ? " ✔" : " ✘";
  return `${check.name}: ${check.value} (target ${check.target})${verdict}`;
}
