/**
 * Produce → island: how long a demand takes from the HTTP request that
 * produces it to the update an island receives, through every real part —
 * the REST proxy (`POST /topics/{topic}`, acks=all), the broker, the doctor
 * consumer (a Worker of the server, as `deno task dev` runs it), its bus
 * note after the transaction, and `GET /api/events` (SSE, coalesced) of the
 * app served on a random port of 127.0.0.1.
 *
 * The client — producer and SSE reader, one clock — runs in a Worker
 * (live_client.ts) as a browser would run apart from the server. It first
 * sends demands one at a time with pauses (the idle stream: each should go
 * out at once), then at `ratePerSec` for `seconds`, `perRequest` per request
 * (the loaded stream: coalesced). A `bulk` note (a transaction of more than
 * 50 demands; the island refetches) is counted as the arrival of that many
 * of the oldest demands not seen yet (a guess across partitions: each
 * update still accounts for one demand).
 *
 * With `backlog`, a second doctor (another view instance, its own group and
 * database, a Worker of the same server, as a new replica of the view
 * catching up would run) applies that many demands of other topics from
 * their start through the loaded phase: the live path is measured while
 * the machine also applies a backlog, and how much of it was applied is
 * reported beside the latencies.
 */
import type { Kafka } from "kafkajs";
import { createApp } from "../main.ts";
import { readEnv } from "../shared/core/config.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { parseRestProxyConfig } from "../services/rest_proxy/mod.ts";
import { createWebKafka } from "../shared/web/web_kafka.ts";
import { startConsumerWorker } from "../shared/consumer/workers.ts";
import { consumerEntries } from "../freshet.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import type { ClientRequest, LiveBenchResult } from "./live_client.ts";
import { prepareDemands } from "./doctor_bench.ts";
import { subscribe } from "../shared/bus/bus.ts";
import { CONSUMER_STATUS_TOPIC, type ConsumerStatus } from "../shared/consumer/status.ts";

export type { LatencySummary, LiveBenchResult } from "./live_client.ts";

/** Options of the live benchmark. */
export interface LiveBenchOptions {
  /** Demands per second in the loaded phase (default 1,000). */
  ratePerSec?: number;
  /** Length of the loaded phase (default 10 s). */
  seconds?: number;
  /** Demands per request in the loaded phase (default 10: 100 requests a second at 1,000/s). */
  perRequest?: number;
  /** Demands of the idle phase, each after a pause (default 20). */
  idleMessages?: number;
  /** Scratch folder (the app's and the doctor's DATA_DIR). */
  dataDir: string;
  /** Demands a second doctor applies during the loaded phase (default 0: none). */
  backlog?: number;
}

/**
 * What the second doctor applied of its backlog while the live path was
 * measured (the idle and the loaded phases): when `applied` < `backlog` it
 * was applying for the whole measurement.
 */
export interface BacklogProgress {
  backlog: number;
  /** Applied when the loaded phase ended (its last status report). */
  applied: number;
  /** From its start to the end of the loaded phase. */
  seconds: number;
  /** Its rate over those seconds, demands/s. */
  perSec: number;
}

/** Runs the benchmark on topics under `prefix`. */
export async function liveBench(
  kafka: Kafka,
  prefix: string,
  options: LiveBenchOptions,
): Promise<LiveBenchResult & { backlog?: BacklogProgress }> {
  const backlog = options.backlog ?? 0;
  const backlogPrefix = `${prefix}backlog.`;
  if (backlog > 0) await prepareDemands(kafka, backlogPrefix, backlog);
  const created = `${prefix}${DEMANDS_CREATED}`;
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: created, numPartitions: 3 },
        { topic: `${prefix}${DEMANDS_ASSUMED}`, numPartitions: 3 },
        { topic: `${created}.dlq` },
      ],
    }));
  const admin = loadKafkaConfig("admin");
  const env: Record<string, string> = {
    ...readEnv(kafkaEnvNames("admin")),
    KAFKA_WEB_USERNAME: admin.sasl?.username ?? "admin",
    KAFKA_WEB_PASSWORD: admin.sasl?.password ?? "admin-secret",
    REST_PROXY_TOPICS: `${prefix}*`,
  };
  const webKafka = createWebKafka(loadKafkaConfig("web", env));
  const shutdown = new AbortController();
  const app = await createApp({
    dataDir: options.dataDir,
    env,
    kafka: webKafka,
    shutdown: shutdown.signal,
    restProxy: parseRestProxyConfig(env),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  // The doctor as `deno task dev` runs it: a Worker of the server, its notes on the bus.
  const entry = consumerEntries({ DOCTOR_NAME: "live" })[0];
  const doctor = startConsumerWorker(entry, {
    dataDir: options.dataDir,
    brokers: admin.brokers,
  }, {
    FRESHET_TOPIC_PREFIX: prefix,
    DOCTOR_NAME: "live",
    KAFKA_DOCTOR_USERNAME: env.KAFKA_WEB_USERNAME, // the bench's random topics have no ACLs
    KAFKA_DOCTOR_PASSWORD: env.KAFKA_WEB_PASSWORD,
  });
  await doctor.started;
  const client = new Worker(new URL("./live_client.ts", import.meta.url), { type: "module" });
  let catchingUp: ReturnType<typeof startConsumerWorker> | undefined;
  let applied = 0;
  const counted = subscribe((message) => {
    const status = message.data as ConsumerStatus | undefined;
    if (message.topic === CONSUMER_STATUS_TOPIC && status?.name === "doctor-backlog") {
      applied = status.counters.processed;
    }
  });
  try {
    if (backlog > 0) {
      catchingUp = startConsumerWorker(consumerEntries({ DOCTOR_NAME: "backlog" })[0], {
        dataDir: options.dataDir,
        brokers: admin.brokers,
      }, {
        FRESHET_TOPIC_PREFIX: backlogPrefix,
        DOCTOR_NAME: "backlog",
        KAFKA_DOCTOR_USERNAME: env.KAFKA_WEB_USERNAME,
        KAFKA_DOCTOR_PASSWORD: env.KAFKA_WEB_PASSWORD,
      });
      await catchingUp.started;
    }
    const backlogStart = performance.now();
    const seconds = options.seconds ?? 10;
    const result = await askWorker(client, {
      base: `http://127.0.0.1:${server.addr.port}`,
      topic: created,
      ratePerSec: options.ratePerSec ?? 1_000,
      seconds,
      perRequest: options.perRequest ?? 10,
      idleMessages: options.idleMessages ?? 20,
    });
    if (backlog === 0) return result;
    const elapsed = (performance.now() - backlogStart) / 1000;
    return {
      ...result,
      backlog: { backlog, applied, seconds: elapsed, perSec: applied / elapsed },
    };
  } finally {
    counted();
    client.terminate();
    await catchingUp?.stop();
    await doctor.stop();
    shutdown.abort();
    await server.shutdown();
    await webKafka.close();
  }
}

function askWorker(worker: Worker, request: ClientRequest): Promise<LiveBenchResult> {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<LiveBenchResult & { error?: string }>) =>
      data.error ? reject(new Error(data.error)) : resolve(data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
    worker.postMessage(request);
  });
}
