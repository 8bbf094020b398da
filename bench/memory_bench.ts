/**
 * Memory, measured from a process of its own (memory_child.ts) as resident
 * set size (RSS, `Deno.memoryUsage().rss`, sampled every 100 ms), over a
 * warm-up pass and ten rounds of the same work (memory_rounds.ts):
 *
 * - the doctor through a backlog cut into eleven equal parts: the first a
 *   warm-up, then ten rounds; RSS after each, its peak, its throughput,
 *   and the leak check (RSS after the tenth round within 10 % of after the
 *   first: flat, not growing with what has been applied);
 * - the server with `clients` SSE clients on `GET /api/events` while notes
 *   flow (50 a second): a warm-up round and ten rounds of connecting them
 *   all, each receiving notes, then closing them; RSS idle, with the
 *   clients, after each round, its peak, and the same leak check.
 */
import { MeasuredChild } from "./measured_child.ts";
import {
  median,
  mib,
  type RoundFigures,
  roundFigures,
  roundMarks,
  ROUNDS,
  WARMUP_ROUNDS,
} from "./memory_rounds.ts";
import { waitUntil } from "./wait.ts";

/** Native-memory levers tried on the doctor (docs/performance.md, "Memory"). */
export interface DoctorLevers {
  /** glibc's `MALLOC_ARENA_MAX` in the child's environment. */
  mallocArenaMax?: number;
  /** SQLite's `cache_size` of the doctor's database, KiB (SQLite's default: 2,000). */
  sqliteCacheKiB?: number;
  /** SQLite's `mmap_size`, bytes (default 0: no memory-mapped reads). */
  sqliteMmapBytes?: number;
  /** KafkaJS's `maxBytesPerPartition` of the runner (default: the runner's, 1 MiB). */
  maxBytesPerPartition?: number;
  /** V8's `--max-semi-space-size`, MiB: caps the young generation (deployed: tasks/v8_flags.ts). */
  maxSemiSpaceMiB?: number;
  /** The applier's chunks in flight a partition (default 2). */
  applierInFlight?: number;
  /** More V8 flags, after the others (a later one wins). */
  v8Flags?: string[];
  /** Without the deployed V8 flags (V8's own young generation: up to 16 MiB and more). */
  v8Default?: boolean;
}

/** What the doctor used through a backlog. */
export interface DoctorMemory extends RoundFigures {
  backlog: number;
  levers: DoctorLevers;
  /** RSS once connected and joined, before the first message, MiB. */
  startMiB: number;
  /** V8's heap (total: used and free) after each pass, warm-up first, MiB. */
  heapTotalMiB: number[];
  /** V8's heap in use after the last full collection, after each pass, warm-up first, MiB. */
  liveHeapMiB: number[];
  /** Demands applied a second over the ten rounds (after the warm-up). */
  perSec: number;
}

/**
 * Runs the doctor in its own process over `backlog` demands already on
 * `${prefix}demands.created` (a new group: the whole backlog), with `levers`.
 */
export async function doctorMemory(
  options: { prefix: string; backlog: number; dataDir: string; levers?: DoctorLevers },
): Promise<DoctorMemory> {
  const levers = options.levers ?? {};
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-doctor-" });
  const child = new MeasuredChild(
    ["doctor", options.prefix, String(options.backlog), dataDir, JSON.stringify(levers)],
    arenaEnv(levers.mallocArenaMax),
    [
      ...(levers.maxSemiSpaceMiB === undefined
        ? []
        : [`--max-semi-space-size=${levers.maxSemiSpaceMiB}`]),
      ...(levers.v8Flags ?? []),
    ],
    !levers.v8Default,
  );
  try {
    const start = await child.until("the doctor to start", () => true, 60_000);
    const after: number[] = [];
    const heaps: number[] = [];
    const live: number[] = [];
    let warmedAt = 0;
    const marks = roundMarks(options.backlog);
    for (const [pass, mark] of marks.entries()) {
      const line = await child.until(
        `the doctor to apply ${mark} of ${options.backlog} (pass ${pass + 1}/${marks.length})`,
        (m) => (m.processed ?? 0) >= mark,
        1_800_000,
      );
      if (pass === WARMUP_ROUNDS - 1) warmedAt = performance.now();
      after.push(line.rss);
      heaps.push(line.heapTotal);
      live.push(line.liveHeap ?? 0);
    }
    const seconds = (performance.now() - warmedAt) / 1000;
    const status = await child.ended;
    if (!status.success) throw new Error(`doctor exited ${status.code}: ${child.stderr}`);
    return {
      backlog: options.backlog,
      levers,
      startMiB: mib(start.rss),
      heapTotalMiB: heaps.map(mib),
      liveHeapMiB: live.map(mib),
      perSec: Math.round((options.backlog - marks[WARMUP_ROUNDS - 1]) / seconds),
      ...roundFigures(after, child.latest!.peak),
    };
  } finally {
    await child.stop();
  }
}

/** The child's environment for a glibc arena cap (none: glibc's default). */
export function arenaEnv(mallocArenaMax?: number): Record<string, string> {
  return mallocArenaMax === undefined ? {} : { MALLOC_ARENA_MAX: String(mallocArenaMax) };
}

/** What the server used with many live clients; the rounds' figures are RSS after each round. */
export interface ServerMemory extends RoundFigures {
  clients: number;
  /** RSS serving, no client, MiB. */
  idleMiB: number;
  /** RSS with every client connected and receiving, per counted round, MiB. */
  connectedMiB: number[];
  /** Median of `connectedMiB`. */
  connectedSteadyMiB: number;
  /** V8's heap in use after a full collection, after each pass (warm-up first), MiB. */
  liveHeapMiB: number[];
  /** V8's heap (used and free) after each pass (warm-up first), MiB. */
  heapTotalMiB: number[];
  /** Notes each client received in the first counted round (median). */
  notesPerClient: number;
}

/** Serves the app in its own process; a warm-up round and ten rounds of `clients` SSE clients. */
export async function serverMemory(
  options: { clients: number; dataDir: string; holdMs?: number; mallocArenaMax?: number },
): Promise<ServerMemory> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-server-" });
  const child = new MeasuredChild(["server", dataDir], arenaEnv(options.mallocArenaMax));
  let abort = new AbortController();
  try {
    await child.until("the server to listen", () => child.port !== undefined, 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = await child.fresh();
    const connected: number[] = [];
    const after: number[] = [];
    const live: number[] = [];
    const heaps: number[] = [];
    let notesPerClient = 0;
    for (let pass = 0; pass < WARMUP_ROUNDS + ROUNDS; pass++) {
      const counts = new Array<number>(options.clients).fill(0);
      abort = new AbortController();
      const clients = counts.map((_, i) =>
        readStream(child.port!, abort.signal, () => counts[i]++)
      );
      await waitUntil(
        `${options.clients} clients to receive a note`,
        () => counts.every((c) => c > 0),
        {
          timeoutMs: 60_000,
          intervalMs: 50,
          lastSeen: () => `${counts.filter((c) => c > 0).length} did`,
        },
      );
      await new Promise((r) => setTimeout(r, options.holdMs ?? 2_000));
      const counted = pass >= WARMUP_ROUNDS;
      if (counted) connected.push((await child.fresh()).rss);
      if (pass === WARMUP_ROUNDS) notesPerClient = median(counts);
      abort.abort();
      await Promise.race([Promise.allSettled(clients), new Promise((r) => setTimeout(r, 10_000))]);
      // Two full collections (one a second) after the close: the first may run while it settles.
      await child.afterCollection();
      const line = await child.afterCollection();
      after.push(line.rss);
      live.push(line.liveHeap ?? 0);
      heaps.push(line.heapTotal);
    }
    return {
      clients: options.clients,
      idleMiB: mib(idle.rss),
      connectedMiB: connected.map(mib),
      connectedSteadyMiB: mib(median(connected)),
      liveHeapMiB: live.map(mib),
      heapTotalMiB: heaps.map(mib),
      notesPerClient,
      ...roundFigures(after, child.latest!.peak),
    };
  } finally {
    abort.abort();
    await child.stop();
  }
}

/** Reads `GET /api/events` until `signal` (then cancels its body), calling `onNote` per data block. */
async function readStream(port: number, signal: AbortSignal, onNote: () => void): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/api/events?topics=demands`, { signal });
  if (!res.ok) throw new Error(`/api/events: ${res.status}`);
  const reader = res.body!.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const text = decoder.decode(value, { stream: true });
      for (let at = text.indexOf("data: "); at >= 0; at = text.indexOf("data: ", at + 6)) onNote();
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
