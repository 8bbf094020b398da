/**
 * How fast this machine runs a fixed piece of JavaScript right now: the
 * yardstick for the bench's absolute figures. Ratios against a reference
 * run cancel the machine's speed; the targets that are absolute (the idle
 * server's share of a core, the live path's p99, a page's time) do not,
 * and the same code has read 1 % idle one hour and 4 % the next on this
 * shared virtual machine (docs/performance.md, "Idle", ninth pass). The
 * bench times this work when a run starts and when it ends, so a figure
 * that moved can be told from a machine that did.
 *
 * The work is what an idle server's wake-up and a consumer's batch are made
 * of — map lookups, fresh allocations, a JSON round trip — on one thread,
 * with no I/O; its checksum is returned so that V8 cannot drop any of it.
 */
import type { Results } from "./results.ts";

/** One round of the fixed work; returns a checksum of what it computed. */
export function fixedWork(size = 100_000): number {
  const map = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < size; i++) {
    map.set(i, i * 2);
    sum += map.get(i >> 1)!;
  }
  const bytes = new Uint8Array(size * 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 255;
  const record = { id: "d-1", key: "k", items: Array.from({ length: 64 }, (_, i) => ({ i })) };
  for (let i = 0; i < size / 500; i++) {
    sum += (JSON.parse(JSON.stringify(record)) as typeof record).items.length;
  }
  return (sum + bytes[bytes.length - 1]) % 1_000_003;
}

/** What `machineSpeed` measured. */
export interface MachineSpeed {
  /** The median round, milliseconds (lower is a faster machine). */
  medianMs: number;
  /** The fastest round, milliseconds. */
  fastestMs: number;
  rounds: number;
  checksum: number;
}

/** Times `rounds` rounds of `fixedWork` (after two to warm V8 up). */
export function machineSpeed(rounds = 31): MachineSpeed {
  let checksum = fixedWork() + fixedWork();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    checksum = (checksum + fixedWork()) % 1_000_003;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    medianMs: round(times[Math.floor(rounds / 2)]),
    fastestMs: round(times[0]),
    rounds,
    checksum,
  };
}

/** Times the fixed work now and records it as figure `name` of `results`, printed. */
export function recordMachineSpeed(results: Results, name: string, when: string): void {
  const speed = machineSpeed();
  results.figure(
    name,
    speed.medianMs,
    "ms",
    `${when}: the median of ${speed.rounds} rounds of a fixed piece of JavaScript (lower is faster)`,
  );
  console.log(
    `machine speed ${when}: ${speed.medianMs} ms a round of fixed work ` +
      `(fastest ${speed.fastestMs}; compare runs by it before their absolute figures)`,
  );
}
