/**
 * `deno task bench [--messages N] [--rest-records N] [--console-messages N]
 * [--only doctor|rest|console|monitor]`:
 * throughput of Freshet's hot paths as ratios against a reference run on
 * the same broker in the same run.
 *
 * - doctor: demands.created (~1 KB, 3 partitions) materialised into SQLite,
 *   next to Kafka's Java ConsumerPerformance on the same topic.
 * - rest: demands (~1 KB) posted to the REST-Proxy-compatible endpoint as
 *   json v2, 100 per request, 16 requests in flight, next to KafkaJS's
 *   idempotent producer sending the same records directly.
 * - console: the message browser's newest 50 of a 1,000,000-message topic
 *   (3 partitions, ~1 KB) and of one ten times smaller, through the web
 *   server; a filtered search over the large topic next to Java
 *   ConsumerPerformance on it.
 * - monitor: the monitor counting the doctor's topic next to Java's
 *   ConsumerPerformance on it; the CPU cost of sampling 200 partitions every
 *   5 s; the 24-h topics API over a full day of 5-s samples for 10 topics.
 */
import { parseArgs } from "node:util";
import { ensureBroker, ROOT } from "../kafka/ensure.ts";
import { ensureKafkaJars } from "../kafka/jars.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { runMain } from "../shared/core/config.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { doctorThroughput, prepareDemands, sqliteOnlyThroughput } from "./doctor_bench.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";
import { restProduceBench } from "./rest_produce_bench.ts";
import { consoleBench, prepareConsoleTopic } from "./console_bench.ts";
import { historyReadCost, monitorConsumeRate, samplingCost } from "./monitor_bench.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("en");

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      messages: { type: "string", default: "200000" },
      "rest-records": { type: "string", default: "200000" },
      "console-messages": { type: "string", default: "1000000" },
      only: { type: "string" },
    },
  });
  const count = Number(values.messages);
  const restRecords = Number(values["rest-records"]);
  const consoleMessages = Number(values["console-messages"]);
  for (
    const [name, value, given] of [
      ["--messages", count, values.messages],
      ["--rest-records", restRecords, values["rest-records"]],
      ["--console-messages", consoleMessages, values["console-messages"]],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < 1_000) {
      console.error(`${name}: expected an integer ≥ 1000 (got ${JSON.stringify(given)})`);
      Deno.exit(2);
    }
  }
  const only = values.only;
  if (only !== undefined && !["doctor", "rest", "console", "monitor"].includes(only)) {
    console.error(
      `--only: expected doctor, rest, console or monitor (got ${JSON.stringify(only)})`,
    );
    Deno.exit(2);
  }
  setLogLevel("warn");
  const cluster = await ensureBroker();
  const config = loadKafkaConfig("admin");
  const kafka = createKafka(config, { clientSuffix: "bench" });
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.`;
  const tmpDir = await Deno.makeTempDir({ prefix: "freshet-bench-" });
  let demandsTopic: string | undefined;
  async function doctorSection() {
    console.log(`doctor materialisation: ${fmt(count)} demands of ~1 KB on 3 partitions`);
    const topic = demandsTopic = await prepareDemands(kafka, prefix, count);
    const java = await javaConsumerPerf(config, {
      libs: await ensureKafkaJars(ROOT),
      topic,
      messages: count,
      javaHome: Deno.env.get("JAVA_HOME"),
      tmpDir,
    });
    const doctor = await doctorThroughput(kafka, { prefix, count, dataDir: tmpDir });
    const sqliteOnly = await sqliteOnlyThroughput({ count, dataDir: tmpDir });
    console.log(
      `  Java ConsumerPerformance: ${fmt(java.msgsPerSec)} msgs/s (fetch only: ${
        fmt(java.fetchMsgsPerSec)
      })`,
    );
    console.log(`  doctor into SQLite:       ${fmt(doctor)} msgs/s`);
    console.log(`  same rows, SQLite alone:  ${fmt(sqliteOnly)} rows/s (no Kafka: the ceiling)`);
    console.log(
      `  ratio doctor / Java:      ${
        (doctor / java.msgsPerSec).toFixed(2)
      } (target ≥ 0.5; ≥ 30,000 msgs/s)`,
    );
    console.log(`  ratio doctor / SQLite:    ${(doctor / sqliteOnly).toFixed(2)}`);
  }

  async function restSection() {
    console.log(
      `REST produce: ${fmt(restRecords)} demands of ~1 KB, json v2, 100 per request, 16 in flight`,
    );
    const rest = await restProduceBench(kafka, `${prefix}rest.`, {
      records: restRecords,
      recordsPerRequest: 100,
      concurrency: 16,
      dataDir: tmpDir,
    });
    if (rest.failedRecords > 0 || rest.recordsOnTopic < rest.requests * 100) {
      throw new Error(
        `REST produce lost records: ${rest.failedRecords} failed, ${rest.recordsOnTopic} on the topic`,
      );
    }
    console.log(`  KafkaJS idempotent producer: ${fmt(rest.kafkajsRecordsPerSec)} records/s`);
    console.log(`  REST proxy endpoint:         ${fmt(rest.restRecordsPerSec)} records/s`);
    console.log(
      `  ratio REST / KafkaJS:        ${
        (rest.restRecordsPerSec / rest.kafkajsRecordsPerSec).toFixed(2)
      } (target ≥ 20,000 records/s)`,
    );
  }

  async function consoleSection() {
    const big = { topic: `${prefix}console-big`, messages: consoleMessages };
    const small = { topic: `${prefix}console-small`, messages: Math.round(consoleMessages / 10) };
    console.log(
      `console: newest 50 of ${fmt(big.messages)} and ${
        fmt(small.messages)
      } messages (~1 KB, 3 partitions); a filtered search over the first`,
    );
    await prepareConsoleTopic(kafka, big.topic, big.messages);
    await prepareConsoleTopic(kafka, small.topic, small.messages);
    const java = await javaConsumerPerf(config, {
      libs: await ensureKafkaJars(ROOT),
      topic: big.topic,
      messages: big.messages,
      javaHome: Deno.env.get("JAVA_HOME"),
      tmpDir,
    });
    const result = await consoleBench({ topics: [big, small], dataDir: tmpDir });
    for (const n of result.newest) {
      console.log(
        `  newest 50 of ${fmt(n.messages).padStart(9)}: p50 ${n.latency.p50.toFixed(1)} ms, p95 ${
          n.latency.p95.toFixed(1)
        } ms, max ${n.latency.max.toFixed(1)} ms (target p95 ≤ 300 ms)`,
      );
    }
    const [b, s] = result.newest;
    console.log(
      `  p95 ratio ${fmt(b.messages)} / ${fmt(s.messages)}: ${
        (b.latency.p95 / s.latency.p95).toFixed(2)
      } (flat in the topic's size: ≈ 1)`,
    );
    console.log(
      `  Java ConsumerPerformance: ${fmt(java.msgsPerSec)} msgs/s (fetch only: ${
        fmt(java.fetchMsgsPerSec)
      })`,
    );
    console.log(
      `  filtered search (HTTP):   ${fmt(result.search.msgsPerSec)} msgs/s (${
        fmt(result.search.scanned)
      } scanned in ${
        (result.search.elapsedMs / 1000).toFixed(1)
      } s, stopped: ${result.search.stop})`,
    );
    console.log(
      `  ratio search / Java:      ${
        (result.search.msgsPerSec / java.msgsPerSec).toFixed(2)
      } (target ≥ 0.4)`,
    );
  }

  async function monitorSection() {
    console.log(
      `monitor: counting ${fmt(count)} demands of ~1 KB on 3 partitions (the doctor's topic)`,
    );
    const topic = demandsTopic ?? await prepareDemands(kafka, `${prefix}monitor.`, count);
    const java = await javaConsumerPerf(config, {
      libs: await ensureKafkaJars(ROOT),
      topic,
      messages: count,
      javaHome: Deno.env.get("JAVA_HOME"),
      tmpDir,
    });
    const monitor = await monitorConsumeRate({ prefix: topic, count, dataDir: tmpDir });
    console.log(
      `  Java ConsumerPerformance: ${fmt(java.msgsPerSec)} msgs/s (fetch only: ${
        fmt(java.fetchMsgsPerSec)
      })`,
    );
    console.log(`  monitor counting:         ${fmt(monitor)} msgs/s (group join included)`);
    console.log(
      `  ratio monitor / Java:     ${
        (monitor / java.msgsPerSec).toFixed(2)
      } (target ≥ 0.5; to its fetch-only rate: ${(monitor / java.fetchMsgsPerSec).toFixed(2)})`,
    );
    const sampling = await samplingCost(kafka, { prefix: `${prefix}sampling.`, dataDir: tmpDir });
    console.log(
      `  sampling ${sampling.partitions} partitions every 5 s: ${
        sampling.cpuPercent.toFixed(2)
      } % of one core over ${sampling.samples} samples (target < 5 %; the idle process: ${
        sampling.idlePercent.toFixed(2)
      } %); ${sampling.sampleMsP50.toFixed(0)} ms per sample (median)`,
    );
    const history = await historyReadCost({ dataDir: tmpDir });
    for (const r of history.ranges) {
      console.log(
        `  /api/monitor/topics?range=${r.range} over a day of 5-s samples (${
          fmt(history.fineRows)
        } rows, 10 topics × 3 partitions): ${r.p50Ms.toFixed(0)} ms median, ${
          r.maxMs.toFixed(0)
        } ms max, ${r.points} points per series (target ≤ 1,000 ms)`,
      );
    }
  }

  try {
    if (only === undefined || only === "doctor") await doctorSection();
    if (only === undefined || only === "rest") await restSection();
    if (only === undefined || only === "console") await consoleSection();
    if (only === undefined || only === "monitor") await monitorSection();
  } finally {
    await withAdmin(kafka, async (admin) => {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      await admin.deleteTopics({ topics });
    }).catch(() => {});
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    if (cluster) await cluster.stop();
    closeBus(); // the doctor runner's status reports keep a BroadcastChannel open
  }
});
