/** A throughput measurement: messages per second, and the process's CPU time per message. */
import process from "node:process";

/** What a throughput window measured. */
export interface Throughput {
  /** Messages (or rows, or records) per second of wall time. */
  perSec: number;
  /**
   * CPU time of this process (all its threads, user + system) per message,
   * in microseconds: steadier than wall time on a busy shared machine.
   */
  cpuUsPerMsg: number;
}

/** A measuring window: started now, ended by `end(count)`. */
export function startWindow(): { end(count: number): Throughput } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    end(count) {
      const seconds = (performance.now() - wall) / 1000;
      const used = process.cpuUsage(cpu);
      return { perSec: count / seconds, cpuUsPerMsg: (used.user + used.system) / count };
    },
  };
}
