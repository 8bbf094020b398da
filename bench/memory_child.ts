/**
 * A process measured for memory by the memory section (memory_bench.ts),
 * alone so its resident set is its own: `deno run -P=bench
 * bench/memory_child.ts doctor <prefix> <count> <dataDir> [levers JSON]`
 * runs the doctor (its module on the real runner, as `deno task
 * consumer:doctor` does) over a loaded backlog, with the native-memory
 * levers tried (`DoctorLevers`); `… server <dataDir>` serves the app on a
 * random port of 127.0.0.1 and publishes a demand's bus note every 20 ms
 * (the doctor's updates at 50 a second); `… monitor <dataDir> <topics
 * file>` serves the app over a filled monitor database (monitor_memory.ts);
 * `… console <dataDir>` serves it as the console benchmarks do, and prints
 * `auth <header>` (console_memory.ts). Servers run until SIGTERM.
 *
 * Every 100 ms it prints one line `mem {"rss":…,"peak":…,…}`: its resident
 * set now, the highest seen so far (sampled every 100 ms), V8's heap (used
 * and total) and memory outside it (`external`), and the mode's progress;
 * every second (every 10th line) it first runs a full garbage collection
 * and reports the heap then in use (`liveHeap`: what is really retained). The server first prints `port N`.
 */
import { doctorConsumer } from "../services/demands/consumer.ts";
import { DEMANDS_CREATED } from "../services/demands/demand.ts";
import { DEMANDS_BUS_TOPIC } from "../services/demands/demand_view.ts";
import { parseRestProxyConfig } from "../services/rest_proxy/mod.ts";
import type { Admin } from "kafkajs";
import { createApp } from "../main.ts";
import { closeBus, publish } from "../shared/bus/bus.ts";
import { consumerDataDir, createRunner, KERNEL_MIGRATIONS } from "../shared/consumer/main.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { benchDemand } from "./bench_demand.ts";
import { startConsoleServer } from "./console_server.ts";
import type { DoctorLevers } from "./memory_bench.ts";

let peak = 0;
let reports = 0;
/** Full collections run so far: a line with a higher count was printed after a fresh one. */
let collections = 0;
/** V8's heap in use right after a full collection (run with --expose-gc), bytes. */
let liveHeap: number | undefined;
const collect = (globalThis as { gc?: () => void }).gc;

/** Prints the resident set (and `extra`) as one `mem` line; every 10th, collects garbage first. */
function report(extra: Record<string, unknown> = {}): void {
  if (collect && reports++ % 10 === 0) {
    collect();
    collections++;
    liveHeap = Deno.memoryUsage().heapUsed;
  }
  const { rss, heapUsed, heapTotal, external } = Deno.memoryUsage();
  peak = Math.max(peak, rss);
  const line = { rss, peak, heapUsed, heapTotal, external, liveHeap, collections, ...extra };
  console.log(`mem ${JSON.stringify(line)}`);
}

async function doctor(
  prefix: string,
  count: number,
  dataDir: string,
  levers: DoctorLevers,
): Promise<void> {
  const kafka = createKafka(loadKafkaConfig("admin"), { clientSuffix: "bench-memory" });
  const env = {
    FRESHET_TOPIC_PREFIX: prefix,
    DOCTOR_NAME: `bench-memory-${crypto.randomUUID().slice(0, 8)}`,
  };
  const definition = doctorConsumer.create(env);
  if (!definition.topics[`${prefix}${DEMANDS_CREATED}`]) throw new Error("no demands topic");
  // The database as the runner opens it, then the SQLite levers tried.
  const dir = consumerDataDir(dataDir, definition.name);
  Deno.mkdirSync(dir, { recursive: true });
  const dbPath = `${dir}/${definition.name}.db`;
  const db = openDatabase(dbPath, {
    migrations: [...definition.migrations, ...KERNEL_MIGRATIONS],
  });
  if (levers.sqliteCacheKiB !== undefined) db.exec(`PRAGMA cache_size = -${levers.sqliteCacheKiB}`);
  if (levers.sqliteMmapBytes !== undefined) db.exec(`PRAGMA mmap_size = ${levers.sqliteMmapBytes}`);
  const runner = createRunner(definition, {
    dataDir,
    mode: "process",
    kafka,
    db,
    maxBytesPerPartition: levers.maxBytesPerPartition,
    // Pipelined, as deployed: its applier Worker's memory counts too.
    applier: {
      moduleUrl: new URL("../services/demands/consumer.ts", import.meta.url).href,
      env,
      dbPath,
      maxInFlight: levers.applierInFlight,
    },
  });
  report({ processed: 0 });
  await runner.start();
  const started = performance.now();
  try {
    while (runner.counters.processed < count) {
      report({ processed: runner.counters.processed });
      await new Promise((r) => setTimeout(r, 100));
      if (performance.now() - started > 1_800_000) throw new Error("doctor: timed out");
    }
    report({ processed: runner.counters.processed, done: true });
  } finally {
    await runner.stop();
    closeBus();
  }
}

/** Prints a `mem` line every 100 ms until SIGTERM; then closes `close` and exits. */
async function reportUntilTerminated(close: () => Promise<unknown>): Promise<void> {
  const reporting = setInterval(() => report(), 100);
  await new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", resolve));
  clearInterval(reporting);
  await Promise.race([close(), new Promise((r) => setTimeout(r, 3_000))]);
  Deno.exit(0);
}

/**
 * Serves the app over a monitor database already filled (monitor_history.ts)
 * in `dataDir`, no monitor running; Kafka's topic list, which `/monitor`
 * asks for to leave deleted topics out, answers the topics of `topicsFile`
 * (one a line: the simulated cluster), so the page draws them all.
 */
async function monitor(dataDir: string, topicsFile: string): Promise<void> {
  const topics = (await Deno.readTextFile(topicsFile)).split("\n").filter(Boolean);
  const shutdown = new AbortController();
  const unavailable = () => Promise.reject(new Error("not in the monitor's memory bench"));
  const app = await createApp({
    dataDir,
    env: {},
    shutdown: shutdown.signal,
    restProxy: parseRestProxyConfig({}),
    brokerProbe: { check: () => Promise.resolve({ reachable: true, brokers: 1 }) },
    consoleKafka: {
      config: loadKafkaConfig("console", {}),
      client: createKafka(loadKafkaConfig("console", {}), { clientSuffix: "unused" }),
      admin: () => Promise.resolve({ listTopics: () => Promise.resolve(topics) } as Admin),
      producer: unavailable,
      cluster: unavailable,
      brokerCluster: unavailable,
      close: () => Promise.resolve(),
    },
  });
  const served = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  console.log(`port ${served.addr.port}`);
  await reportUntilTerminated(async () => {
    shutdown.abort();
    await served.shutdown();
  });
}

/** Serves the app as the console benchmarks do (console_server.ts); prints a viewer's header. */
async function consoleServer(dataDir: string): Promise<void> {
  const server = await startConsoleServer(dataDir);
  console.log(`port ${new URL(server.url).port}`);
  console.log(`auth ${server.headers.authorization}`);
  await reportUntilTerminated(() => server.close());
}

async function server(dataDir: string): Promise<void> {
  const shutdown = new AbortController();
  const app = await createApp({
    dataDir,
    env: {},
    shutdown: shutdown.signal,
    restProxy: parseRestProxyConfig({}),
    brokerProbe: { check: () => Promise.resolve({ reachable: true, brokers: 1 }) },
  });
  const served = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  console.log(`port ${served.addr.port}`);
  let notes = 0;
  const publishing = setInterval(() => {
    const demand = JSON.parse(benchDemand(notes));
    publish(DEMANDS_BUS_TOPIC, "created", {
      doctor: "memory",
      demand: { ...demand, id: `memory-${notes++}` },
    });
  }, 20);
  const reporting = setInterval(() => report({ notes }), 100);
  await new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", resolve));
  clearInterval(publishing);
  clearInterval(reporting);
  shutdown.abort();
  // Streams still open would hold a graceful shutdown: at most 3 s, then exit.
  await Promise.race([served.shutdown(), new Promise((r) => setTimeout(r, 3_000))]);
  closeBus();
  Deno.exit(0);
}

if (import.meta.main) {
  setLogLevel("warn");
  const [mode, ...args] = Deno.args;
  if (mode === "doctor") {
    await doctor(args[0], Number(args[1]), args[2], JSON.parse(args[3] ?? "{}"));
  } else if (mode === "server") await server(args[0]);
  else if (mode === "monitor") await monitor(args[0], args[1]);
  else if (mode === "console") await consoleServer(args[0]);
  else throw new Error(`expected doctor, server, monitor or console (got ${JSON.stringify(mode)})`);
}
