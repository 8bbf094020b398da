/**
 * Set-up of the REST proxy tests: a random topic prefix with its own
 * `demands.created` (3 partitions), `demands.assumed`, `demands.created.dlq`,
 * `primeiro_topico`, `orders.created` and `extra.events`, an app in process
 * whose Kafka principal is the admin (so ACLs do not interfere) and whose
 * REST_PROXY_TOPICS allows `demands.created,primeiro_topico,extra.*`.
 */
import type { Kafka } from "kafkajs";
import { createApp } from "../main.ts";
import { readEnv } from "../shared/core/config.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { parseRestProxyConfig } from "../services/rest_proxy/mod.ts";
import { type ReadMessage, readRange } from "../shared/kafka/topic_reader.ts";
import { createWebKafka } from "../shared/web/web_kafka.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

/** REST_PROXY_TOPICS of the tests. */
export const TEST_REST_PROXY_TOPICS = "demands.created,primeiro_topico,extra.*";

/** Web variables logging in as the admin principal (whatever the cluster's admin is). */
export function adminAsWebEnv(): Record<string, string> {
  const admin = loadKafkaConfig("admin");
  return {
    ...readEnv(kafkaEnvNames("web")),
    KAFKA_WEB_USERNAME: admin.sasl?.username ?? "admin",
    KAFKA_WEB_PASSWORD: admin.sasl?.password ?? "admin-secret",
  };
}

/** A response of the app, its body parsed. */
export interface ProxyResponse {
  status: number;
  type: string | null;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** What a REST proxy test works with. */
export interface RestProxyFixture {
  kafka: Kafka;
  prefix: string;
  dataDir: string;
  app: { fetch(req: Request): Response | Promise<Response> };
  /** POSTs `body` (a string is sent as is) to `path` with `headers`. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<ProxyResponse>;
  /** Every message of `<prefix><topic>`. */
  read(topic: string): Promise<ReadMessage[]>;
  cleanup(): Promise<void>;
}

/** Options of `restProxyFixture`. */
export interface RestProxyFixtureOptions {
  /** Web variables of the app (default: logging in as the admin). */
  env?: Record<string, string>;
}

/** Creates the topics and the app. */
export async function restProxyFixture(
  options: RestProxyFixtureOptions = {},
): Promise<RestProxyFixture> {
  const kafka = adminKafka();
  const prefix = `${randomName("rp")}.`;
  const dropTopics = await createTopics(kafka, [
    { topic: `${prefix}demands.created`, numPartitions: 3 },
    { topic: `${prefix}demands.assumed`, numPartitions: 3 },
    { topic: `${prefix}demands.created.dlq` },
    { topic: `${prefix}primeiro_topico` },
    { topic: `${prefix}orders.created` },
    { topic: `${prefix}extra.events`, numPartitions: 2 },
    { topic: `${prefix}extra.x.dlq` },
  ]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-rest-proxy-" });
  const env = { ...(options.env ?? adminAsWebEnv()), REST_PROXY_TOPICS: TEST_REST_PROXY_TOPICS };
  const webKafka = createWebKafka(loadKafkaConfig("web", env));
  const shutdown = new AbortController();
  const app = await createApp({
    dataDir,
    topicPrefix: prefix,
    env,
    kafka: webKafka,
    shutdown: shutdown.signal,
    restProxy: parseRestProxyConfig(env),
    minifyIslands: false,
  });
  return {
    kafka,
    prefix,
    dataDir,
    app,
    async post(path, body, headers = {}) {
      const res = await app.fetch(
        new Request(`http://127.0.0.1:8000${path}`, {
          method: "POST",
          headers,
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      );
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text for the assertion message
      }
      return { status: res.status, type: res.headers.get("content-type"), body: parsed };
    },
    async read(topic) {
      const { messages, complete } = await readRange(kafka, {
        groupId: randomName("rp-read"),
        topics: [`${prefix}${topic}`],
        from: "earliest",
        timeoutMs: 10_000,
      });
      if (!complete) throw new Error(`could not read ${prefix}${topic} to its end`);
      return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    },
    async cleanup() {
      shutdown.abort();
      await webKafka.close();
      try {
        await dropTopics();
      } finally {
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  };
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), written from Java's. */
export function javaMurmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const length4 = data.length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = data.length & ~3;
  const rest = data.length % 4; // Java's switch falls through from 3 to 1
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail], m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

/** The partition Java's default partitioner picks for `key` among `partitions`. */
export function javaPartition(key: Uint8Array, partitions: number): number {
  return (javaMurmur2(key) & 0x7fffffff) % partitions;
}
