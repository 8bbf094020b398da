/**
 * The memory section: four subjects, each in a process of its own, as peak
 * and steady resident set, with a leak check over ten rounds after a
 * warm-up pass (memory_rounds.ts) — the doctor through a backlog and the
 * server with many SSE clients (memory_bench.ts), the monitor's pages over
 * a simulated week at scale (monitor_memory.ts), a console search over a
 * large topic (console_memory.ts). The targets are justified in
 * docs/performance.md ("Memory").
 */
import { type BenchContext, fmt } from "./context.ts";
import { consoleMemory, prepareSearchTopic } from "./console_memory.ts";
import { prepareDemands } from "./doctor_bench.ts";
import { doctorMemory, serverMemory } from "./memory_bench.ts";
import { monitorMemory } from "./monitor_memory.ts";
import type { HistoryShape } from "./monitor_history.ts";
import { type Check, describeCheck, type Results } from "./results.ts";
import type { RoundFigures } from "./memory_rounds.ts";

/** Targets (docs/performance.md, "Memory"). */
export const MEMORY_TARGETS = {
  /** RSS after the tenth round over after the first (after a warm-up pass). */
  leakRatio: 1.1,
  /**
   * The doctor's peak RSS through any backlog, pipelined as deployed (two V8
   * isolates: the runner's and its applier's), MiB; 256 on one thread.
   */
  doctorPeakMiB: 384,
  /** The server's RSS with 500 SSE clients, MiB. */
  serverConnectedMiB: 384,
  /** The server's peak RSS serving the monitor's pages over a week at 2,000 partitions, MiB. */
  monitorPeakMiB: 384,
  /** The monitor's and groups' pages over a week's history, each, ms (median of the rounds). */
  monitorPageMs: 1_000,
  /** The `/monitor` page at any range, bytes (issue 22: under 300 KB). */
  monitorPageBytes: 300_000,
  /** The server's peak RSS through a search over 1,000,000 records, MiB. */
  consolePeakMiB: 256,
};

/** The subjects of the section. */
export const MEMORY_SUBJECTS = ["doctor", "server", "monitor", "console"] as const;
export type MemorySubject = typeof MEMORY_SUBJECTS[number];

/** The section's options (`--memory-…`). */
export interface MemoryOptions {
  subjects: MemorySubject[];
  backlog: number;
  clients: number;
  history: HistoryShape;
  records: number;
  /** glibc's MALLOC_ARENA_MAX for every child (undefined: glibc's default). */
  mallocArenaMax?: number;
}

/** Figures and checks of a subject's rounds: peak, steady, leak ratio against the targets. */
function recordRounds(
  results: Results,
  name: string,
  what: string,
  figures: RoundFigures & { heapTotalMiB: number[] },
  peakTarget: number,
): Check[] {
  results.figure(`${name}.peak`, figures.peakMiB, "MiB", `${what}: peak RSS`);
  results.figure(`${name}.steady`, figures.steadyMiB, "MiB", `${what}: RSS, median of 10 rounds`);
  results.figure(`${name}.leakRatio`, figures.leakRatio, "ratio", `${what}: round 10 / round 1`);
  console.log(
    `  RSS after the warm-up ${figures.warmupMiB.join(", ")} MiB; after each round ${
      figures.roundsMiB.join(", ")
    } MiB; peak ${figures.peakMiB} MiB; V8's heap (used and free) after each pass ${
      figures.heapTotalMiB.join(", ")
    } MiB`,
  );
  return [
    results.check(`${what}: RSS round 10 / round 1`, figures.leakRatio, {
      atMost: MEMORY_TARGETS.leakRatio,
    }),
    results.check(`${what}: peak RSS, MiB`, figures.peakMiB, { atMost: peakTarget }),
  ];
}

function print(checks: Check[]): void {
  for (const check of checks) console.log(`  ${describeCheck(check)}`);
}

/** Runs the section's subjects in turn. */
export async function memorySection(ctx: BenchContext, options: MemoryOptions): Promise<void> {
  const run: Record<MemorySubject, () => Promise<void>> = {
    doctor: () => doctorSubject(ctx, options),
    server: () => serverSubject(ctx, options),
    monitor: () => monitorSubject(ctx, options),
    console: () => consoleSubject(ctx, options),
  };
  for (const subject of options.subjects) await run[subject]();
}

async function doctorSubject(ctx: BenchContext, options: MemoryOptions): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  const { backlog } = options;
  console.log(
    `\nmemory: the doctor through ${fmt(backlog)} demands (its own process; the first ` +
      `eleventh a warm-up, then ten rounds)`,
  );
  const topicPrefix = `${prefix}memory.`;
  await prepareDemands(kafka, topicPrefix, backlog);
  const doctor = await doctorMemory({
    prefix: topicPrefix,
    backlog,
    dataDir: tmpDir,
    levers: { mallocArenaMax: options.mallocArenaMax },
  });
  results.data.notes.doctorMemory = doctor;
  results.figure("doctorMemory.perSec", doctor.perSec, "msgs/s", "doctor over the ten rounds");
  console.log(
    `  RSS at start ${doctor.startMiB} MiB; ${fmt(doctor.perSec)} demands/s; V8 heap after each ` +
      `pass ${doctor.heapTotalMiB.join(", ")} MiB, of it live after a full collection: ${
        doctor.liveHeapMiB.join(", ")
      } MiB`,
  );
  print([
    ...recordRounds(
      results,
      "doctorMemory",
      `doctor through ${backlog} demands`,
      doctor,
      MEMORY_TARGETS.doctorPeakMiB,
    ),
    results.check(
      "doctor live heap, round 10 / round 1",
      doctor.liveHeapMiB.at(-1)! / doctor.liveHeapMiB[1],
    ),
  ]);
}

async function serverSubject(ctx: BenchContext, options: MemoryOptions): Promise<void> {
  const { tmpDir, results } = ctx;
  const { clients } = options;
  console.log(
    `\nmemory: the server with ${fmt(clients)} SSE clients, a warm-up round and ten rounds ` +
      `(its own process)`,
  );
  const server = await serverMemory({
    clients,
    dataDir: tmpDir,
    mallocArenaMax: options.mallocArenaMax,
  });
  results.data.notes.serverMemory = server;
  results.figure("serverMemory.idle", server.idleMiB, "MiB", "server's RSS serving, no client");
  results.figure(
    "serverMemory.connected",
    server.connectedSteadyMiB,
    "MiB",
    `server's RSS with ${clients} SSE clients (median of rounds)`,
  );
  results.figure(
    "serverMemory.perClient",
    ((server.connectedSteadyMiB - server.idleMiB) * 1_024) / clients,
    "KiB",
    "RSS per connected SSE client",
  );
  console.log(
    `  RSS idle ${server.idleMiB} MiB; with the clients ${server.connectedMiB.join(", ")} MiB; ` +
      `${server.notesPerClient} notes a client in round 1 (median); V8 heap live after a full ` +
      `collection after each pass: ${server.liveHeapMiB.join(", ")} MiB`,
  );
  print([
    ...recordRounds(
      results,
      "serverMemory",
      `server after ${clients} SSE clients`,
      server,
      MEMORY_TARGETS.serverConnectedMiB,
    ),
    results.check(`server RSS with ${clients} SSE clients, MiB`, server.connectedSteadyMiB, {
      atMost: MEMORY_TARGETS.serverConnectedMiB,
    }),
    results.check(
      "server live heap, after round 10 / after round 1",
      server.liveHeapMiB.at(-1)! / server.liveHeapMiB[1],
    ),
  ]);
}

async function monitorSubject(ctx: BenchContext, options: MemoryOptions): Promise<void> {
  const { tmpDir, results } = ctx;
  const h = options.history;
  console.log(
    `\nmemory: the monitor's pages over ${h.days} days of history, ${fmt(h.topics)} topics, ` +
      `${fmt(h.partitions)} partitions, ${fmt(h.groups)} groups (the app in its own process; a ` +
      `warm-up pass and ten rounds of the pages)`,
  );
  const monitor = await monitorMemory({
    dataDir: tmpDir,
    shape: h,
    mallocArenaMax: options.mallocArenaMax,
  });
  results.data.notes.monitorMemory = monitor;
  results.figure("monitorMemory.idle", monitor.idleMiB, "MiB", "server's RSS before the pages");
  results.figure("monitorMemory.database", monitor.databaseMiB, "MiB", "the monitor's database");
  const checks: Check[] = [];
  for (const page of monitor.pages) {
    const name = `monitorMemory.page ${page.path}`;
    results.figure(`${name}.ms`, page.medianMs, "ms", "GET, median of 10 rounds");
    results.figure(`${name}.bytes`, page.bytes, "bytes", "GET, its body");
    console.log(
      `  ${page.path}: ${page.medianMs} ms (max ${page.maxMs}), ${fmt(page.bytes / 1024)} KiB`,
    );
    if (page.path.startsWith("/monitor") || page.path.startsWith("/groups")) {
      checks.push(
        results.check(`monitor at ${h.days} d: ${page.path}, ms`, page.medianMs, {
          atMost: MEMORY_TARGETS.monitorPageMs,
        }),
      );
    }
    if (page.path.startsWith("/monitor")) {
      checks.push(
        results.check(`monitor at ${h.days} d: ${page.path}, bytes`, page.bytes, {
          atMost: MEMORY_TARGETS.monitorPageBytes,
        }),
      );
    }
  }
  console.log(
    `  RSS idle ${monitor.idleMiB} MiB; V8 heap live after a full collection after each pass: ${
      monitor.liveHeapMiB.join(", ")
    } MiB`,
  );
  print([
    ...recordRounds(
      results,
      "monitorMemory",
      `monitor pages at ${h.days} d, ${h.partitions} partitions`,
      monitor,
      MEMORY_TARGETS.monitorPeakMiB,
    ),
    ...checks,
  ]);
}

async function consoleSubject(ctx: BenchContext, options: MemoryOptions): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  const { records } = options;
  console.log(
    `\nmemory: a console search over ${fmt(records)} records (the server in its own process; a ` +
      `warm-up search and ten rounds)`,
  );
  const topic = `${prefix}memory.search`;
  await prepareSearchTopic(kafka, topic, records);
  const search = await consoleMemory({
    topic,
    records,
    dataDir: tmpDir,
    mallocArenaMax: options.mallocArenaMax,
  });
  results.data.notes.consoleMemory = search;
  results.figure("consoleMemory.idle", search.idleMiB, "MiB", "server's RSS before the search");
  results.figure(
    "consoleMemory.searchMs",
    search.medianSearchMs,
    "ms",
    `search over ${records} records, median of 10`,
  );
  console.log(
    `  RSS idle ${search.idleMiB} MiB; each search ${search.searchMs.join(", ")} ms (${
      fmt(records / (search.medianSearchMs / 1000))
    } records/s), ${search.matched} found, stopped: ${search.stop}; V8 heap live after each: ${
      search.liveHeapMiB.join(", ")
    } MiB`,
  );
  print(
    recordRounds(
      results,
      "consoleMemory",
      `console search over ${records} records`,
      search,
      MEMORY_TARGETS.consolePeakMiB,
    ),
  );
}
