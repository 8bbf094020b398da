/**
 * What route handlers get besides the request (`ctx.services`): the web
 * kernel's own shared state and clients, and the parts the app's services
 * add (`ctx.services.part(x)`), all built once by `createApp` so tests can
 * inject their own. The kernel knows no service: a service brings its part
 * through its module (shared/service/define_service.ts).
 */
import type { BrokerProbe } from "./broker_probe.ts";
import type { BusSubscribe } from "./bus_subscribe.ts";
import type { ConsumerStore } from "./consumer_store.ts";
import type { Databases } from "./databases.ts";
import type { HttpMetrics } from "./http_metrics.ts";
import type { WebKafka } from "./web_kafka.ts";
import type { WebAuth } from "./auth/web_auth.ts";
import type { GroupOwner } from "./group_owner.ts";
import type { ClientStreams } from "./client_streams.ts";

export type { BusSubscribe } from "./bus_subscribe.ts";

/** The web kernel's own services. */
export interface KernelServices {
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
  /** Long-lived streams per browser (live updates, searches, tails), capped (client_streams.ts). */
  clientStreams: ClientStreams;
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
  /** Logins, sessions and roles (shared/web/auth). */
  auth: WebAuth;
  /** Freshet's Kafka principals: the kernel's and the services' (from the service modules). */
  principals: readonly string[];
  /** Path prefixes whose answers (errors, login refusals) are JSON: `/api/` and the services' own. */
  jsonPaths: readonly string[];
  /** The consumer groups of the app's consumers, and how each replays (from the service modules). */
  consumerGroups: readonly GroupOwner[];
}

/**
 * What a service adds to the web app's services: built once when the app
 * is created, from the kernel's services and the app's options (`O`, for
 * what tests inject), closed when the server shuts down.
 */
export interface WebPart<T, O = Record<never, never>> {
  /** Names the part (unique in an app), e.g. `console`. */
  readonly name: string;
  /** Builds the part when the app is created. */
  create(kernel: KernelServices, options: O): T;
  /** Frees what the part holds (clients, readers), at shutdown. */
  close?(part: T): void | Promise<void>;
}

/** The services of one app. */
export interface WebServices extends KernelServices {
  /** The part a service added (its module's `web.parts`); throws when the app has none of it. */
  part<T>(part: WebPart<T, never>): T;
}
