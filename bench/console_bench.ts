/**
 * The console's message browser under load, through the real web server
 * (HTTP on loopback, logged in as a viewer, the `console` principal):
 *
 * - newest 50 of a large topic (3 partitions, ~1 KB demands): latency over
 *   20 requests after 3 warm-ups, on a big and a 10× smaller topic in turn —
 *   it must not grow with the topic (read from the end offsets, never a
 *   scan);
 * - a filtered search that matches nothing (so it reads the whole topic,
 *   oldest first): messages scanned per second, next to Kafka's Java
 *   ConsumerPerformance reading the same topic.
 */
import type { Kafka } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { startConsoleServer } from "./console_server.ts";
import { benchDemand } from "./bench_demand.ts";
import { loadTopic } from "./load.ts";

/** Creates `topic` (3 partitions) and loads `count` records into it (default: ~1 KB demands). */
export async function prepareConsoleTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  make: (i: number) => { key: string; value: string } = (i) => ({
    key: `bench-${i}`,
    value: benchDemand(i),
  }),
): Promise<void> {
  await withAdmin(
    kafka,
    (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] }),
  );
  await loadTopic(
    kafka,
    topic,
    count,
    make,
    (done) => console.log(`  ${topic}: loaded ${done.toLocaleString("en")}`),
  );
}

/** Latency figures in milliseconds. */
export interface Latency {
  p50: number;
  p95: number;
  max: number;
}

/** What the console bench measured. */
export interface ConsoleBenchResult {
  newest: { topic: string; messages: number; latency: Latency }[];
  search: { scanned: number; elapsedMs: number; msgsPerSec: number; stop: string };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the measurements against `topics` (already loaded), largest first. */
export async function consoleBench(
  options: { topics: { topic: string; messages: number }[]; dataDir: string },
): Promise<ConsoleBenchResult> {
  const server = await startConsoleServer(options.dataDir);
  const headers = server.headers;
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  try {
    // Requests alternate between the topics, so a busy moment of the machine or the broker
    // weighs on both alike.
    const times = options.topics.map(() => [] as number[]);
    for (let i = 0; i < 23; i++) {
      for (const [t, { topic }] of options.topics.entries()) {
        const started = performance.now();
        const page = await get(`/api/topics/${topic}/messages?limit=50`);
        const ms = performance.now() - started;
        if (page.messages.length !== 50) {
          throw new Error(`${topic}: ${page.messages.length} messages`);
        }
        if (i >= 3) times[t].push(ms);
      }
    }
    const newest = options.topics.map(({ topic, messages }, t) => {
      const sorted = times[t].sort((a, b) => a - b);
      const latency = {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted.at(-1)!,
      };
      return { topic, messages, latency };
    });
    const big = options.topics[0];
    const started = performance.now();
    const page = await get(
      `/api/topics/${big.topic}/messages?seek=oldest&value=${
        encodeURIComponent("no demand says this")
      }&maxMessages=${big.messages}&maxMs=60000`,
    );
    const wall = performance.now() - started;
    return {
      newest,
      search: {
        scanned: page.scan.scanned,
        elapsedMs: wall,
        msgsPerSec: page.scan.scanned / (wall / 1000),
        stop: page.scan.stop,
      },
    };
  } finally {
    await server.close();
  }
}
