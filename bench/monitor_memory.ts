/**
 * The monitor's pages over a week of history at scale, for memory: the
 * monitor's database filled with a simulated history (monitor_history.ts:
 * by default 7 days, 300 topics, 2,000 partitions, 300 groups, every
 * partition busy in every sample), then the app served over it in a process
 * of its own (memory_child.ts `monitor`, no monitor sampling: the pages
 * read what a week left), and the pages an operator opens and the series
 * APIs fetched in turn — a warm-up pass and ten rounds — with the RSS after
 * each round, its peak, and each page's size and time.
 */
import { DEFAULT_SETTINGS } from "../services/monitor/config.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { MONITOR_SERVICE } from "../services/monitor/monitor_db.ts";
import { arenaEnv } from "./memory_bench.ts";
import { MeasuredChild } from "./measured_child.ts";
import { fillMonitorHistory, type HistoryShape } from "./monitor_history.ts";
import {
  median,
  mib,
  type RoundFigures,
  roundFigures,
  ROUNDS,
  WARMUP_ROUNDS,
} from "./memory_rounds.ts";

/** A page's size and times over the counted rounds. */
export interface PageFigures {
  path: string;
  status: number;
  bytes: number;
  medianMs: number;
  maxMs: number;
}

/** What the monitor's pages used over a simulated history. */
export interface MonitorMemory extends RoundFigures {
  shape: HistoryShape;
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Seconds the history took to write; the database's size, MiB. */
  fillSeconds: number;
  databaseMiB: number;
  /** RSS serving, before the first request, MiB. */
  idleMiB: number;
  /** V8's heap (used and free) after each pass (warm-up first), MiB. */
  heapTotalMiB: number[];
  /** V8's heap in use after a full collection, after each pass (warm-up first), MiB. */
  liveHeapMiB: number[];
  pages: PageFigures[];
}

/** The GETs of one round: the pages at the longest range and a day, the series they show. */
export function monitorPaths(group: string): string[] {
  const g = encodeURIComponent(group);
  return [
    "/monitor?range=7d",
    "/monitor?range=24h",
    "/groups",
    `/groups/${g}?range=7d`,
    "/api/monitor/topics?range=7d",
    "/api/monitor/topics?range=24h",
    "/api/groups",
    `/api/groups/${g}?range=7d`,
  ];
}

/** Fills a history of `shape`, serves it, and measures ten rounds of the pages. */
export async function monitorMemory(
  options: { dataDir: string; shape: HistoryShape; mallocArenaMax?: number },
): Promise<MonitorMemory> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-monitor-" });
  try {
    const started = performance.now();
    const db = openMonitorDatabase(dataDir);
    let plan;
    try {
      plan = fillMonitorHistory(db, options.shape, DEFAULT_SETTINGS, Date.now());
    } finally {
      db.close();
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const databaseMiB = mib(
      (await Deno.stat(`${dataDir}/${MONITOR_SERVICE}/${MONITOR_SERVICE}.db`)).size,
    );
    console.log(
      `  history written in ${fillSeconds.toFixed(0)} s: ${
        Object.values(plan.rows).reduce((a, b) => a + b, 0).toLocaleString("en")
      } rows, ${databaseMiB} MiB`,
    );
    const topicsFile = `${dataDir}/topics.txt`;
    await Deno.writeTextFile(topicsFile, plan.topicNames.join("\n") + "\n");
    return {
      shape: options.shape,
      rows: plan.rows,
      fillSeconds: Math.round(fillSeconds),
      databaseMiB,
      ...await measureMonitorPages({
        dataDir,
        topicsFile,
        group: plan.groupNames[0],
        mallocArenaMax: options.mallocArenaMax,
      }),
    };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** What serving a filled history measured: RSS, heap, the pages. */
export type PagesFigures = Omit<MonitorMemory, "shape" | "rows" | "fillSeconds" | "databaseMiB">;

/**
 * Serves the monitor's database in `dataDir` (already filled) in a process
 * of its own and measures a warm-up pass and ten rounds of the pages
 * (`group` is the group whose pages are asked for; `topicsFile` the topics
 * Kafka is said to have, one a line).
 */
export async function measureMonitorPages(
  options: { dataDir: string; topicsFile: string; group: string; mallocArenaMax?: number },
): Promise<PagesFigures> {
  const child = new MeasuredChild(
    ["monitor", options.dataDir, options.topicsFile],
    arenaEnv(options.mallocArenaMax),
  );
  try {
    await child.until("the server to listen", () => child.port !== undefined, 60_000);
    const idle = await child.fresh();
    const paths = monitorPaths(options.group);
    const times = paths.map(() => [] as number[]);
    const last = paths.map(() => ({ status: 0, bytes: 0 }));
    const after: number[] = [];
    const live: number[] = [];
    const heaps: number[] = [];
    for (let pass = 0; pass < WARMUP_ROUNDS + ROUNDS; pass++) {
      for (const [i, path] of paths.entries()) {
        const t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${child.port}${path}`);
        const bytes = (await response.arrayBuffer()).byteLength;
        if (pass >= WARMUP_ROUNDS) times[i].push(performance.now() - t0);
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        last[i] = { status: response.status, bytes };
      }
      const line = await child.afterCollection();
      after.push(line.rss);
      live.push(line.liveHeap ?? 0);
      heaps.push(line.heapTotal);
    }
    return {
      idleMiB: mib(idle.rss),
      liveHeapMiB: live.map(mib),
      heapTotalMiB: heaps.map(mib),
      pages: paths.map((path, i) => ({
        path,
        ...last[i],
        medianMs: Math.round(median(times[i])),
        maxMs: Math.round(Math.max(...times[i])),
      })),
      ...roundFigures(after, child.latest!.peak),
    };
  } finally {
    await child.stop();
  }
}
