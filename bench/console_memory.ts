/**
 * A console search over a large topic, for memory: `records` small records
 * (~70 bytes of JSON, 3 partitions) of which one in 100,000 holds the
 * needle, and the message browser's filtered search (`value` contains the
 * needle, oldest first, the widest budget) over all of it through the web
 * server, served in a process of its own (memory_child.ts `console`, as the
 * console benchmarks serve it) — a warm-up search and ten rounds — with the
 * RSS after each, its peak, and each search's time.
 */
import type { Kafka } from "kafkajs";
import { MAX_BUDGET } from "../services/console/messages/browse_types.ts";
import { prepareConsoleTopic } from "./console_bench.ts";
import { arenaEnv } from "./memory_bench.ts";
import { MeasuredChild } from "./measured_child.ts";
import {
  median,
  mib,
  type RoundFigures,
  roundFigures,
  ROUNDS,
  WARMUP_ROUNDS,
} from "./memory_rounds.ts";

/** What a record of the search topic holds; one in `NEEDLE_EVERY` holds `NEEDLE`. */
export const NEEDLE = "needle-4f1c";
export const NEEDLE_EVERY = 100_000;

/** The `i`-th record of the search topic (its value ~70 bytes). */
export function searchRecord(i: number): { key: string; value: string } {
  const note = i % NEEDLE_EVERY === NEEDLE_EVERY / 2 ? NEEDLE : "nothing to see";
  return { key: `k-${i}`, value: JSON.stringify({ id: i, kind: "reading", note, v: i % 997 }) };
}

/** The matches a topic of `records` search records holds. */
export function needlesIn(records: number): number {
  return Math.floor((records + NEEDLE_EVERY / 2 - 1) / NEEDLE_EVERY);
}

/** What a search over the topic used. */
export interface ConsoleMemory extends RoundFigures {
  records: number;
  /** RSS serving, before the first search, MiB. */
  idleMiB: number;
  /** V8's heap (used and free) after each pass (warm-up first), MiB. */
  heapTotalMiB: number[];
  /** V8's heap in use after a full collection, after each search (warm-up first), MiB. */
  liveHeapMiB: number[];
  /** Each counted search: its wall time, ms. */
  searchMs: number[];
  medianSearchMs: number;
  /** Records scanned and matched by the last search, and why it stopped. */
  scanned: number;
  matched: number;
  stop: string;
}

/** Loads `records` search records into `topic` (created with 3 partitions). */
export async function prepareSearchTopic(
  kafka: Kafka,
  topic: string,
  records: number,
): Promise<void> {
  await prepareConsoleTopic(kafka, topic, records, searchRecord);
}

/** Serves the app in its own process; a warm-up search and ten rounds over `topic`. */
export async function consoleMemory(
  options: { topic: string; records: number; dataDir: string; mallocArenaMax?: number },
): Promise<ConsoleMemory> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-console-" });
  const child = new MeasuredChild(["console", dataDir], arenaEnv(options.mallocArenaMax));
  try {
    await child.until(
      "the server to listen",
      () => child.port !== undefined && child.authorization !== undefined,
      60_000,
    );
    const idle = await child.fresh();
    const query = new URLSearchParams({
      seek: "oldest",
      value: NEEDLE,
      limit: "50",
      maxMessages: String(MAX_BUDGET.maxMessages),
      maxMs: String(MAX_BUDGET.maxMs),
    });
    const url = `http://127.0.0.1:${child.port}/api/topics/${
      encodeURIComponent(options.topic)
    }/messages?${query}`;
    const after: number[] = [];
    const live: number[] = [];
    const heaps: number[] = [];
    const times: number[] = [];
    let last = { scanned: 0, matched: 0, stop: "" };
    for (let pass = 0; pass < WARMUP_ROUNDS + ROUNDS; pass++) {
      const t0 = performance.now();
      const response = await fetch(url, { headers: { authorization: child.authorization! } });
      const page = await response.json();
      if (response.status !== 200) {
        throw new Error(`search: ${response.status} ${JSON.stringify(page)}`);
      }
      if (pass >= WARMUP_ROUNDS) times.push(performance.now() - t0);
      last = { scanned: page.scan.scanned, matched: page.messages.length, stop: page.scan.stop };
      if (last.scanned < options.records || last.matched !== needlesIn(options.records)) {
        throw new Error(
          `search stopped (${last.stop}) after ${last.scanned} of ${options.records}, ` +
            `${last.matched} of ${needlesIn(options.records)} found`,
        );
      }
      const line = await child.afterCollection();
      after.push(line.rss);
      live.push(line.liveHeap ?? 0);
      heaps.push(line.heapTotal);
    }
    return {
      records: options.records,
      idleMiB: mib(idle.rss),
      liveHeapMiB: live.map(mib),
      heapTotalMiB: heaps.map(mib),
      searchMs: times.map(Math.round),
      medianSearchMs: Math.round(median(times)),
      ...last,
      ...roundFigures(after, child.latest!.peak),
    };
  } finally {
    await child.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}
