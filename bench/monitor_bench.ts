/**
 * The monitor's benchmarks:
 *
 * - consume rate: the monitor (its real consume loop, with its sampler
 *   running) counting the doctor benchmark's topic (~1 KB demands, 3
 *   partitions), next to Java's ConsumerPerformance on the same topic in
 *   the same run;
 * - sampling cost: CPU time of sampling a group on 200 partitions (10
 *   topics × 20) every 5 s, as a share of one core;
 * - history reads: `/api/monitor/topics?range=24h` over a full day of 5-s
 *   samples for 10 topics (3 partitions each), answered by the real app.
 *
 * The monitor logs in with the admin principal's credentials (as the REST
 * bench does for `web`): the bench's random topics need no ACLs.
 */
import process from "node:process";
import { type Kafka, Partitioners } from "kafkajs";
import { createApp } from "../main.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { readEnv } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { transaction } from "../shared/sqlite/sqlite.ts";
import { parseRestProxyConfig } from "../services/rest_proxy/mod.ts";
import { AdminSession, RENEW_ONCE } from "../shared/kafka/admin_session.ts";
import { RenewingClient } from "../shared/kafka/renewing_client.ts";
import { createCluster } from "../shared/kafka/wire/kafka_cluster.ts";
import { bucketsOf } from "../services/monitor/buckets.ts";
import { DEFAULT_SETTINGS, type MonitorSettings } from "../services/monitor/config.ts";
import { addTraffic } from "../services/monitor/traffic_store.ts";
import { createMonitor } from "../services/monitor/main.ts";
import { openMonitorDatabase, writeSettings } from "../services/monitor/monitor_database.ts";
import { LagSampler } from "../services/monitor/sampler.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { waitUntil } from "./wait.ts";

/** Variables that make the monitor log in with the admin's credentials. */
function monitorEnv(extra: Record<string, string>): Record<string, string> {
  const admin = loadKafkaConfig("admin");
  return {
    ...readEnv(kafkaEnvNames("admin")),
    KAFKA_MONITOR_USERNAME: admin.sasl?.username ?? "admin",
    KAFKA_MONITOR_PASSWORD: admin.sasl?.password ?? "admin-secret",
    ...extra,
  };
}

/** The monitor counting every topic whose name starts with `prefix`; messages per second. */
export async function monitorConsumeRate(
  options: { prefix: string; count: number; dataDir: string },
): Promise<number> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "monitor-" });
  const monitor = createMonitor(monitorEnv({ FRESHET_TOPIC_PREFIX: options.prefix }), {
    dataDir,
    mode: "process",
  });
  const started = performance.now();
  await monitor.start();
  try {
    while (monitor.consumer.counters.messages < options.count) {
      await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - started > 300_000) throw new Error("monitor benchmark timed out");
    }
    return options.count / ((performance.now() - started) / 1000);
  } finally {
    await monitor.stop();
  }
}

/** What sampling cost. */
export interface SamplingCost {
  partitions: number;
  samples: number;
  /** CPU time over wall time while sampling, percent of one core. */
  cpuPercent: number;
  /** The same for the process idle over one period before (its background: GC, timers). */
  idlePercent: number;
  /** Median wall time of one sample, milliseconds. */
  sampleMsP50: number;
  /** Samples taken before one saw every partition (1 when the first did). */
  warmUpSamples: number;
}

/**
 * A group with committed offsets on `topics × partitions` partitions,
 * sampled every `sampleMs` for `samples` samples by the real sampler.
 */
export async function samplingCost(
  kafka: Kafka,
  options: {
    prefix: string;
    dataDir: string;
    topics?: number;
    partitions?: number;
    samples?: number;
    sampleMs?: number;
  },
): Promise<SamplingCost> {
  const topics = Array.from({ length: options.topics ?? 10 }, (_, i) => `${options.prefix}s${i}`);
  const partitions = options.partitions ?? 20;
  const group = `${options.prefix}group`;
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
    });
    // A few messages on every partition, the group at 0: every partition lags (the costly path).
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    for (const topic of topics) {
      await producer.send({
        topic,
        messages: Array.from({ length: partitions * 5 }, (_, i) => ({
          partition: i % partitions,
          value: "x",
        })),
      });
    }
    await producer.disconnect();
    for (const topic of topics) {
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: Array.from(
          { length: partitions },
          (_, partition) => ({ partition, offset: "0" }),
        ),
      });
    }
  });
  const settings: MonitorSettings = { ...DEFAULT_SETTINGS, sampleMs: options.sampleMs ?? 5_000 };
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "sampling-" });
  const db = openMonitorDatabase(dataDir);
  const env = monitorEnv({});
  const samplerKafka = createKafka(loadKafkaConfig("monitor", env), {
    clientSuffix: "bench-sampler",
    retries: 2,
  });
  const admin = new AdminSession(samplerKafka);
  const cluster = new RenewingClient(() => createCluster(samplerKafka), RENEW_ONCE);
  const sampler = new LagSampler({
    cluster,
    db,
    settings,
    prefix: options.prefix,
    log: createLogger("bench:sampler"),
  });
  try {
    // Connects and warms up. A sample can see fewer partitions than there are for a
    // while (a topic just created whose end offsets are not readable yet, the group's
    // offsets mid-update): sample again, for a bounded time, until it sees them all.
    const expected = topics.length * partitions;
    let sampled = 0;
    const warmUpSamples = await waitUntil(
      `the sampler to see all ${expected} partitions of ${group}`,
      async () => {
        const summaries = await sampler.sampleOnce();
        sampled = summaries.find((g) => g.group === group)?.partitions.length ?? 0;
        return sampled === expected;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, lastSeen: () => `${sampled} partitions` },
    );
    const samples = options.samples ?? 12;
    const idle0 = process.cpuUsage();
    const idleWall0 = performance.now();
    await new Promise((r) => setTimeout(r, settings.sampleMs));
    const idle = process.cpuUsage(idle0);
    const idlePercent = ((idle.user + idle.system) / 1_000) / (performance.now() - idleWall0) * 100;
    const durations: number[] = [];
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < samples; i++) {
      const next = wall0 + (i + 1) * settings.sampleMs;
      const t0 = performance.now();
      await sampler.sampleOnce();
      durations.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    durations.sort((a, b) => a - b);
    return {
      partitions: sampled,
      samples,
      cpuPercent: ((cpu.user + cpu.system) / 1_000) / wallMs * 100,
      idlePercent,
      sampleMsP50: durations[Math.floor(durations.length / 2)],
      warmUpSamples,
    };
  } finally {
    await Promise.all([admin.close(), cluster.close()]);
    db.close();
  }
}

/** Timings of history reads. */
export interface HistoryReadCost {
  /** 5-s rows stored (besides their 1-min roll-ups). */
  fineRows: number;
  /** Per range: median and worst answer time, points per series. */
  ranges: { range: string; p50Ms: number; maxMs: number; points: number }[];
}

/**
 * A full day of 5-s traffic for 10 topics × 3 partitions, written as the
 * monitor writes it (each bucket at 5 s and rolled up into its minute;
 * the fine retention set to 25 h so every 5-s row stays), then the topics
 * API timed over 24 h and 6 h.
 */
export async function historyReadCost(
  options: { dataDir: string; topics?: number; partitions?: number; requests?: number },
): Promise<HistoryReadCost> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "history-" });
  const db = openMonitorDatabase(dataDir);
  const settings = { ...DEFAULT_SETTINGS, fineRetentionMs: 25 * 3_600_000 };
  const topics = options.topics ?? 10;
  const now = Date.now();
  const start = Math.floor((now - 24 * 3_600_000) / 5_000) * 5_000;
  let fineRows = 0;
  try {
    writeSettings(db, settings);
    transaction(db, () => {
      for (let i = 0; i < topics; i++) {
        for (let partition = 0; partition < (options.partitions ?? 3); partition++) {
          for (let t = start; t <= now; t += 5_000) {
            for (const bucket of bucketsOf(t, now, settings)) {
              const messages = 50 + (t / 5_000) % 7;
              addTraffic(db, {
                ...bucket,
                topic: `bench.topic-${i}`,
                partition,
                messages,
                bytes: messages * 1_024,
              });
            }
            fineRows++;
          }
        }
      }
    });
  } finally {
    db.close();
  }
  const app = await createApp({
    dataDir,
    env: {},
    restProxy: parseRestProxyConfig({}),
    brokerProbe: { check: () => Promise.resolve({ reachable: true, brokers: 1 }) },
  });
  const ranges = [];
  for (const range of ["24h", "6h"]) {
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < (options.requests ?? 10); i++) {
      const t0 = performance.now();
      const res = await app.fetch(
        new Request(`http://127.0.0.1/api/monitor/topics?range=${range}`),
      );
      const body = await res.json() as { topics: { series: unknown[] }[] };
      times.push(performance.now() - t0);
      if (!res.ok || body.topics.length !== topics) {
        throw new Error(`unexpected answer ${res.status}`);
      }
      points = Math.max(...body.topics.map((t) => t.series.length));
    }
    times.sort((a, b) => a - b);
    ranges.push({
      range,
      p50Ms: times[Math.floor(times.length / 2)],
      maxMs: times.at(-1)!,
      points,
    });
  }
  return { fineRows, ranges };
}
