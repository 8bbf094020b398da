/**
 * CPU use over a window, from outside: a sampler reads the machine's ticks
 * and each watched process's ticks (proc_cpu.ts) every `intervalMs`, and
 * `usageBetween` turns the samples around a window into CPU seconds per
 * process and the machine's busy cores. The window can be decided after
 * the fact (e.g. from the times the measured programs wrote down): the
 * samples that bracket it are used, so the figures cover the window and
 * at most one interval either side.
 */
import { type MachineTicks, type ProcReader, TICKS_PER_SECOND } from "./proc_cpu.ts";

/** One reading: when (epoch ms), the machine's ticks, each watched process's ticks. */
export interface CpuSample {
  at: number;
  machine: MachineTicks;
  /** Ticks by label; a process not (or no longer) running is absent. */
  processes: Record<string, number>;
}

/** CPU used between two samples. */
export interface CpuUsage {
  /** Wall time between the samples used. */
  seconds: number;
  /** Busy cores on average (the machine's busy ticks over wall time): other work included. */
  machineBusyCores: number;
  /** The machine's busy share of all its cores, 0–1. */
  machineBusyShare: number;
  /** CPU seconds of each process (from its first to its last reading inside the samples used). */
  processSeconds: Record<string, number>;
}

/**
 * What was used from the last sample at or before `fromMs` to the first at
 * or after `toMs` (the first and last samples if the window reaches past
 * them). A process read in only some of the samples counts from its first
 * to its last reading among them.
 */
export function usageBetween(samples: CpuSample[], fromMs: number, toMs: number): CpuUsage {
  if (samples.length < 2) throw new Error(`need two samples or more (got ${samples.length})`);
  if (toMs < fromMs) throw new Error(`the window ends before it starts (${fromMs} > ${toMs})`);
  let first = 0;
  for (let i = 0; i < samples.length; i++) if (samples[i].at <= fromMs) first = i;
  let last = samples.length - 1;
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i].at >= toMs) last = i;
  if (last <= first) last = Math.min(samples.length - 1, first + 1);
  if (last <= first) first = last - 1;
  const used = samples.slice(first, last + 1);
  const start = used[0];
  const end = used[used.length - 1];
  const seconds = (end.at - start.at) / 1000;
  const busy = (end.machine.busy - start.machine.busy) / TICKS_PER_SECOND;
  const total = end.machine.total - start.machine.total;
  const labels = new Set(used.flatMap((s) => Object.keys(s.processes)));
  const processSeconds: Record<string, number> = {};
  for (const label of labels) {
    const readings = used.map((s) => s.processes[label]).filter((t) => t !== undefined);
    processSeconds[label] = (readings[readings.length - 1] - readings[0]) / TICKS_PER_SECOND;
  }
  return {
    seconds,
    machineBusyCores: seconds > 0 ? busy / seconds : 0,
    machineBusyShare: total > 0 ? (end.machine.busy - start.machine.busy) / total : 0,
    processSeconds,
  };
}

/** A running sampler. */
export interface CpuSampler {
  readonly samples: CpuSample[];
  /** Takes one more sample now, then stops sampling. */
  stop(): Promise<void>;
}

/**
 * Samples every `intervalMs` (and once at once), through `reader`, the
 * machine and the processes `watched()` names at that moment (label → pid).
 */
export function startCpuSampler(
  reader: ProcReader,
  watched: () => Record<string, number>,
  intervalMs = 250,
): CpuSampler {
  const samples: CpuSample[] = [];
  const take = async () => {
    const labelled = Object.entries(watched());
    const at = Date.now();
    const read = await reader.ticks(labelled.map(([, pid]) => pid));
    const processes: Record<string, number> = {};
    labelled.forEach(([label], i) => {
      const ticks = read.processes[i];
      if (ticks !== undefined) processes[label] = ticks;
    });
    samples.push({ at, machine: read.machine, processes });
  };
  let taking = take();
  const timer = setInterval(() => {
    taking = taking.then(take);
  }, intervalMs);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await taking;
      await take();
    },
  };
}
