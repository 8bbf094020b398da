/**
 * The scale-out section's arithmetic, apart from the processes it runs:
 * the apply window of a set of doctors (from the first demand any of them
 * received to the last one any received, as each wrote it down), their
 * rate, the CPU each process spent per 1,000 demands, and the machine's
 * ceiling — the rate the measured processes' CPU per demand would allow if
 * they had every core to themselves — which says whether a target rate
 * was possible on this machine at all. One doctor's own ceiling is also
 * bounded by a core (its JavaScript runs on one thread).
 */

/** When a doctor began and ended applying (epoch ms), and how many demands it holds. */
export interface InstanceSpan {
  label: string;
  rows: number;
  firstMs: number;
  lastMs: number;
}

/** From the first demand any instance received to the last one any received. */
export function applyWindow(
  instances: InstanceSpan[],
): { fromMs: number; toMs: number; seconds: number } {
  if (instances.length === 0) throw new Error("no instances");
  const fromMs = Math.min(...instances.map((i) => i.firstMs));
  const toMs = Math.max(...instances.map((i) => i.lastMs));
  // A window of a few milliseconds is no measurement: say so rather than divide by it.
  if (!(toMs - fromMs >= 100)) {
    throw new Error(`an apply window of ${toMs - fromMs} ms is too short to measure`);
  }
  return { fromMs, toMs, seconds: (toMs - fromMs) / 1000 };
}

/** What one arrangement of doctors measured. */
export interface ArrangementInput {
  instances: InstanceSpan[];
  /** CPU seconds of each doctor over the window, by label. */
  doctorCpuSeconds: Record<string, number>;
  /** CPU seconds of the brokers together over the window. */
  brokersCpuSeconds: number;
  /** Wall time the CPU seconds were sampled over (the window, bracketed by the samples). */
  sampledSeconds: number;
  /** The machine's busy cores on average over the window (everything on it). */
  machineBusyCores: number;
  /** Cores of the machine. */
  cores: number;
}

/** The figures of one arrangement. */
export interface ArrangementFigures {
  seconds: number;
  /** Demands applied, every instance's rows summed (a view deployment applies each one per instance). */
  applied: number;
  /** Demands applied per second over the window. */
  rate: number;
  /** CPU seconds per 1,000 demands applied: each doctor (over what it applied), all doctors, the brokers. */
  doctorCpuPer1000: Record<string, number>;
  doctorsCpuPer1000: number;
  brokersCpuPer1000: number;
  /** Cores the doctors and the brokers kept busy on average (over the sampled time). */
  measuredCores: number;
  machineBusyCores: number;
  /** Demands a second the doctors' and brokers' CPU per demand allows on every core of the machine. */
  ceiling: number;
}

/** The figures of one arrangement from what it measured. */
export function arrangementFigures(input: ArrangementInput): ArrangementFigures {
  const { seconds } = applyWindow(input.instances);
  const applied = input.instances.reduce((sum, i) => sum + i.rows, 0);
  const doctorCpuPer1000: Record<string, number> = {};
  let doctorsCpu = 0;
  for (const instance of input.instances) {
    const cpu = input.doctorCpuSeconds[instance.label];
    if (cpu === undefined) throw new Error(`no CPU time for ${instance.label}`);
    doctorCpuPer1000[instance.label] = instance.rows > 0 ? (cpu / instance.rows) * 1000 : 0;
    doctorsCpu += cpu;
  }
  const measuredCpu = doctorsCpu + input.brokersCpuSeconds;
  return {
    seconds,
    applied,
    rate: applied / seconds,
    doctorCpuPer1000,
    doctorsCpuPer1000: (doctorsCpu / applied) * 1000,
    brokersCpuPer1000: (input.brokersCpuSeconds / applied) * 1000,
    measuredCores: measuredCpu / input.sampledSeconds,
    machineBusyCores: input.machineBusyCores,
    ceiling: measuredCpu > 0 ? input.cores / (measuredCpu / applied) : Infinity,
  };
}

/**
 * The most one doctor could apply with the machine to itself and the
 * brokers: its arrangement's ceiling, or one core for the doctor (its
 * JavaScript runs on one thread) at the CPU per demand it spent, whichever
 * is lower.
 */
export function singleDoctorCeiling(figures: ArrangementFigures): number {
  return Math.min(figures.ceiling, 1000 / figures.doctorsCpuPer1000);
}

/**
 * Which partitions more than one instance applied (a sharded group must
 * split them: one applied twice means the group moved it mid-run and the
 * figure counts work done twice).
 */
export function sharedPartitions(byInstance: Record<string, number[]>): number[] {
  const seen = new Map<number, number>();
  for (const partitions of Object.values(byInstance)) {
    for (const p of new Set(partitions)) seen.set(p, (seen.get(p) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([p]) => p).sort((a, b) => a - b);
}
