/**
 * REST produce: how many records per second the REST-Proxy-compatible
 * endpoint takes in, as OnDutyNow sends them (json v2, 100 demands of
 * ~1 KB per request, 16 requests in flight), next to KafkaJS's idempotent
 * producer sending the same records (same headers, 100 per send, 16 sends
 * in flight) straight to the same broker.
 *
 * The app runs in this process (`createApp` + `Deno.serve` on a random
 * port of 127.0.0.1) and logs in as the admin principal, so the bench's
 * random topics need no ACLs; its REST_PROXY_TOPICS allows just them. The
 * HTTP client runs in a Worker (this same file), as a separate client
 * process would, so the server's thread does only the server's work.
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import type { Kafka } from "kafkajs";
import { createApp } from "../main.ts";
import { readEnv } from "../shared/core/config.ts";
import { cloudEventHeaders } from "../shared/kafka/cloudevents.ts";
import { createIdempotentProducer, withAdmin } from "../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import {
  KAFKA_JSON_V2,
  KAFKA_V2,
  parseRestProxyConfig,
  REST_PROXY_SOURCE,
} from "../services/rest_proxy/mod.ts";
import { createWebKafka } from "../shared/web/web_kafka.ts";
import { inWorker } from "../shared/core/fatal.ts";
import { benchDemand } from "./bench_demand.ts";
import { type CpuProfile, startProfile } from "./cpu_profile.ts";

/** Options of the REST produce benchmark. */
export interface RestBenchOptions {
  /** Records to send in all (rounded up to whole requests). */
  records: number;
  recordsPerRequest: number;
  /** Requests (or KafkaJS sends) in flight at once. */
  concurrency: number;
  /** Scratch folder (the app's DATA_DIR). */
  dataDir: string;
  /** Take a V8 CPU profile of this thread (server and producer) during each half. */
  profile?: boolean;
}

/** What the benchmark measured. */
export interface RestBenchResult {
  restRecordsPerSec: number;
  kafkajsRecordsPerSec: number;
  requests: number;
  /** Records the endpoint reported as failed (should be 0). */
  failedRecords: number;
  /** Records found on the topic after the run. */
  recordsOnTopic: number;
  /** CPU µs per record of this process (REST: server and client threads, warm-up included). */
  restCpuUsPerRecord: number;
  kafkajsCpuUsPerRecord: number;
  /** CPU profiles of this thread, when asked for. */
  profiles?: { rest: CpuProfile; kafkajs: CpuProfile };
}

/** Sends `total` units of work with `concurrency` in flight; returns seconds taken. */
async function drive(
  total: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
  return (performance.now() - started) / 1000;
}

async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  return await withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  });
}

/** The REST endpoint's throughput, then KafkaJS's, on topics under `prefix`. */
export async function restProduceBench(
  kafka: Kafka,
  prefix: string,
  options: RestBenchOptions,
): Promise<RestBenchResult> {
  const restTopic = `${prefix}demands.created`;
  const directTopic = `${prefix}demands.direct`;
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: restTopic, numPartitions: 3 },
        { topic: directTopic, numPartitions: 3 },
      ],
    }));
  const requests = Math.ceil(options.records / options.recordsPerRequest);
  const per = options.recordsPerRequest;

  // Distinct bodies, built once so the client spends its time sending, not serialising.
  const bodies = Array.from({ length: 32 }, (_, b) =>
    JSON.stringify({
      records: Array.from({ length: per }, (_, i) => {
        const value = JSON.parse(benchDemand(b * per + i));
        return { key: value.id, value };
      }),
    }));

  const admin = loadKafkaConfig("admin");
  const env: Record<string, string> = {
    ...readEnv(kafkaEnvNames("admin")), // the cluster's settings; the bench may not read web's

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
  const url = `http://127.0.0.1:${server.addr.port}/topics/${restTopic}`;
  const load = new Worker(import.meta.url, { type: "module" });
  let restSeconds: number;
  let failedRecords: number;
  let restProfile: CpuProfile | undefined;
  let restCpu: NodeJS.CpuUsage | undefined;
  try {
    const profiler = options.profile ? await startProfile() : undefined;
    restCpu = process.cpuUsage();
    ({ seconds: restSeconds, failed: failedRecords } = await askWorker(load, {
      url,
      bodies,
      requests,
      concurrency: options.concurrency,
    }));
    restCpu = process.cpuUsage(restCpu);
    restProfile = await profiler?.stop();
  } finally {
    load.terminate();
    shutdown.abort();
    await server.shutdown();
    await webKafka.close();
  }
  const recordsOnTopic = await topicSize(kafka, restTopic);

  // The reference: the same records and headers, straight through KafkaJS.
  const batches = bodies.map((body) =>
    (JSON.parse(body).records as { key: string; value: unknown }[]).map((r) => ({
      key: JSON.stringify(r.key),
      value: Buffer.from(JSON.stringify(r.value)),
      headers: cloudEventHeaders({
        id: crypto.randomUUID(),
        type: "demands.created",
        source: REST_PROXY_SOURCE,
        time: new Date().toISOString(),
      }),
    }))
  );
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  let directSeconds: number;
  let profiles: RestBenchResult["profiles"];
  let directCpu!: NodeJS.CpuUsage;
  try {
    const send = async (i: number) => {
      await producer.send({ topic: directTopic, acks: -1, messages: batches[i % batches.length] });
    };
    await drive(options.concurrency * 2, options.concurrency, send);
    const profiler = options.profile ? await startProfile() : undefined;
    const cpu = process.cpuUsage();
    directSeconds = await drive(requests, options.concurrency, send);
    directCpu = process.cpuUsage(cpu);
    const kafkajsProfile = await profiler?.stop();
    if (restProfile && kafkajsProfile) profiles = { rest: restProfile, kafkajs: kafkajsProfile };
  } finally {
    await producer.disconnect();
  }
  const sent = requests * per;
  return {
    restCpuUsPerRecord: (restCpu!.user + restCpu!.system) / (sent + options.concurrency * 2 * per),
    kafkajsCpuUsPerRecord: (directCpu.user + directCpu.system) / sent,
    restRecordsPerSec: sent / restSeconds,
    kafkajsRecordsPerSec: sent / directSeconds,
    requests,
    failedRecords,
    recordsOnTopic,
    profiles,
  };
}

/** What the load Worker is asked to do. */
interface LoadRequest {
  url: string;
  bodies: string[];
  requests: number;
  concurrency: number;
}

/** What it answers: the measured seconds (warm-up excluded) and the records reported failed. */
interface LoadResult {
  seconds: number;
  failed: number;
  error?: string;
}

function askWorker(worker: Worker, request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<LoadResult>) =>
      data.error ? reject(new Error(data.error)) : resolve(data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
    worker.postMessage(request);
  });
}

/** The load generator: posts the bodies round-robin, `concurrency` at a time. */
async function generateLoad(request: LoadRequest): Promise<LoadResult> {
  let failed = 0;
  const post = async (i: number) => {
    const res = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": KAFKA_JSON_V2, accept: KAFKA_V2 },
      body: request.bodies[i % request.bodies.length],
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`REST produce: ${res.status} ${JSON.stringify(body)}`);
    for (const o of body.offsets) if (o.error_code !== null) failed++;
  };
  await drive(request.concurrency * 2, request.concurrency, post); // connect, metadata, JIT
  failed = 0;
  const seconds = await drive(request.requests, request.concurrency, post);
  return { seconds, failed };
}

if (inWorker()) {
  self.onmessage = async ({ data }: MessageEvent<LoadRequest>) => {
    const result = await generateLoad(data).catch((error): LoadResult => ({
      seconds: 0,
      failed: 0,
      error: String(error?.stack ?? error),
    }));
    self.postMessage(result);
  };
}
