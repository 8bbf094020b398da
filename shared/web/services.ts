/**
 * What route handlers get besides the request (`ctx.services`): the app's
 * shared state and clients, built once by `createApp` so tests can inject
 * their own.
 */
import type { BusSubscribe } from "./bus_subscribe.ts";
import type { BrokerProbe } from "./broker_probe.ts";
import type { ConsumerStore } from "./consumer_store.ts";
import type { Databases } from "./databases.ts";
import type { HttpMetrics } from "./http_metrics.ts";
import type { WebKafka } from "./web_kafka.ts";
import type { RestProxyConfig } from "../../services/rest_proxy/config.ts";
import type { MessageReader } from "../../services/console/messages/message_reader.ts";
import type { ConsoleKafka } from "../../services/console/console_kafka.ts";
import type { WebAuth } from "./auth/web_auth.ts";

export type { BusSubscribe } from "./bus_subscribe.ts";

/** The services of one app. */
export interface WebServices {
  /** Latest status of each consumer, fed by the bus. */
  statuses: ConsumerStore;
  /** Cached, time-bounded broker reachability check. */
  broker: BrokerProbe;
  /** HTTP request counters for `/metrics`. */
  httpMetrics: HttpMetrics;
  /** The bus, as live-update streams see it. */
  subscribe: BusSubscribe;
  /** A consumer with no report for longer than this is stale. */
  staleAfterMs: number;
  /** An outbox whose oldest unsent event is older than this makes /health 503. */
  outboxMaxAgeMs: number;
  /** Live-update streams write at once when idle, else at most once per this many milliseconds. */
  coalesceMs: number;
  /** Live-update streams send a comment this often so proxies keep them open. */
  heartbeatMs: number;
  /** Aborted when the server shuts down: live-update streams end. */
  shutdown: AbortSignal;
  /** Folder of the services' data (`DATA_DIR`). */
  dataDir: string;
  /** Prefix of every topic name (`FRESHET_TOPIC_PREFIX`, default none); see shared/kafka/names.ts. */
  topicPrefix: string;
  /** Kafka as the `web` principal: shared producer and admin. */
  kafka: WebKafka;
  /** The services' SQLite databases, opened once. */
  databases: Databases;
  /** Which topics the REST Proxy API may produce to (`REST_PROXY_TOPICS`). */
  restProxy: RestProxyConfig;
  /** The console's topic reader (principal `console`): pages, searches, live tails. */
  messages: MessageReader;
  /** Logins, sessions and roles (shared/web/auth). */
  auth: WebAuth;
  /** Kafka as the console's own principal `console`: admin, producer, cluster. */
  console: ConsoleKafka;
}
