/**
 * The Freshet web app: `createApp(options)` builds the Hono app from the
 * `routes/`, `islands/` and `static/` folders and returns it without
 * listening or touching the environment beyond reading it. Tests call
 * `app.fetch(new Request(...))`; server.ts is the entry that listens.
 */
import { Hono } from "hono";
import { subscribe } from "./shared/bus/bus.ts";
import { kafkaEnvNames, loadKafkaConfig } from "./shared/kafka/config.ts";
import { readEnv } from "./shared/core/config.ts";
import { bodyLimit, DEFAULT_MAX_BODY_BYTES } from "./shared/web/body_limit.ts";
import { type BrokerProbe, createBrokerProbe } from "./shared/web/broker_probe.ts";
import { ConsumerStore } from "./shared/web/consumer_store.ts";
import { canonicalFetch } from "./shared/web/canonical_request.ts";
import { csrf } from "./shared/web/csrf.ts";
import { errorPageRenderer } from "./shared/web/error_page.tsx";
import { type ErrorAnswers, errorResponse } from "./shared/web/error_response.ts";
import { HttpError } from "./shared/web/http_error.ts";
import { Databases } from "./shared/web/databases.ts";
import { createWebKafka, type WebKafka } from "./shared/web/web_kafka.ts";
import { countRequests, HttpMetrics } from "./shared/web/http_metrics.ts";
import { bundleIslands, islandAsset, ISLANDS_PREFIX } from "./shared/web/island_bundle.ts";
import { loadIslands } from "./shared/web/island_files.ts";
import { mountRoutes } from "./shared/web/mount_routes.ts";
import type { DocumentAssets } from "./shared/web/render.ts";
import { loadRoutes, type RouteTable } from "./shared/web/route_files.ts";
import { withAliases } from "./shared/web/route_aliases.ts";
import type { WebEnv } from "./shared/web/route_types.ts";
import { securityHeaders } from "./shared/web/security_headers.ts";
import type { BusSubscribe, KernelServices, WebServices } from "./shared/web/services.ts";
import { WebParts } from "./shared/web/web_parts.ts";
import { serveStatic } from "./shared/web/static_files.ts";
import { type RunningServer, type ServeOptions, startServer } from "./shared/web/serve.ts";
import {
  AUTH_ENV_NAMES,
  type AuthConfig,
  authenticate,
  consoleDb,
  createWebAuth,
  hostAllowlist,
  loadAuthConfig,
} from "./shared/web/auth/mod.ts";
import {
  aliasesOf,
  type AppOptionsOf,
  errorShapesOf,
  groupOwnersOf,
  jsonPathsOf,
  principalsOf,
  webMigrationsOf,
  webPartsOf,
} from "./shared/service/registry.ts";
import { SERVICES } from "./freshet.ts";
import { DEFAULT_COALESCE_MS } from "./shared/web/sse.ts";
import { STALE_AFTER_MS } from "./shared/consumer/status_reporter.ts";
import { browserCookieMiddleware, ClientStreams } from "./shared/web/client_streams.ts";

/** Options of `createApp`; every one has a default. */
export type CreateAppOptions = KernelAppOptions & AppOptionsOf<typeof SERVICES>;

/** The kernel's options of `createApp` (the services' web parts add theirs: `AppOptionsOf`). */
export interface KernelAppOptions {
  /**
   * Folder holding `routes/`, `islands/` and `static/` (default: this file's
   * folder, the app's own, whose routes get the services' aliases; another
   * folder, a test's, gets its routes as they are).
   */
  root?: URL;
  /** Kafka variables of the `web` principal (default: read from the environment). */
  env?: Record<string, string | undefined>;
  /** Consumer statuses (default: an empty store; server.ts feeds it from the bus). */
  statuses?: ConsumerStore;
  /** Broker check (default: describeCluster as `web`, cached 2 s, 2 s timeout). */
  brokerProbe?: BrokerProbe;
  /** The bus as live streams see it (default: shared/bus/bus.ts `subscribe`). */
  subscribe?: BusSubscribe;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** A consumer with no report for longer than this is stale (default STALE_AFTER_MS, 15 000 ms). */
  staleAfterMs?: number;
  /** An outbox whose oldest unsent event is older than this makes /health 503 (default 60000 ms). */
  outboxMaxAgeMs?: number;
  /**
   * Live streams write at once when idle, and under load at most once per this many
   * milliseconds (default 16: one frame of a 60 Hz screen; see shared/web/sse.ts).
   */
  coalesceMs?: number;
  /** Live streams send a heartbeat comment this often (default 15000 ms). */
  heartbeatMs?: number;
  /**
   * Long-lived streams one browser may hold at once (default 4: two of HTTP/1.1's six
   * connections per server stay free for pages; shared/web/client_streams.ts).
   */
  streamsPerBrowser?: number;
  /** Origins allowed to post besides the server's own (e.g. the public URL behind a proxy). */
  trustedOrigins?: string[];
  /** Minify the islands' bundle (default true). */
  minifyIslands?: boolean;
  /** Aborting it ends the live streams and closes Kafka clients and databases. */
  shutdown?: AbortSignal;
  /** Folder of the services' data (default `./data`). */
  dataDir?: string;
  /** Prefix of every topic name (default none; see shared/kafka/names.ts). */
  topicPrefix?: string;
  /** Kafka clients of the `web` principal (default: built from `env`). */
  kafka?: WebKafka;
  /** The host the server listens on (default 127.0.0.1): decides the login mode and `Host` allowlist. */
  hostname?: string;
  /** Login settings (default: from `FRESHET_*` variables and `hostname`; see shared/web/auth). */
  auth?: AuthConfig;
  /**
   * The routes (default: discovered under `root/routes/`, with the services'
   * aliases: `loadAppRoutes`). The access matrix test mounts the real
   * table's declarations with handlers of its own.
   */
  routeTable?: RouteTable;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) {
    throw new RangeError(`createApp: ${name} must be a positive number, got ${value}`);
  }
  return v;
}

const APP_ROOT = new URL("./", import.meta.url);

/** The app's routes under `root`: its route files, and the services' aliases for the app's own. */
export async function loadAppRoutes(root: URL = APP_ROOT): Promise<RouteTable> {
  const table = await loadRoutes(new URL("routes/", root));
  return root.href === APP_ROOT.href ? withAliases(table, aliasesOf(SERVICES)) : table;
}

/** Builds the app: discovers routes and islands, bundles the islands, wires middleware. */
export async function createApp(options: CreateAppOptions = {}): Promise<Hono<WebEnv>> {
  const root = options.root ?? APP_ROOT;
  const kafkaConfig = loadKafkaConfig("web", options.env ?? readEnv(kafkaEnvNames("web")));
  const shutdown = options.shutdown ?? new AbortController().signal;
  const authConfig = options.auth ??
    loadAuthConfig(readEnv(AUTH_ENV_NAMES), { boundHost: options.hostname ?? "127.0.0.1" });
  const databases = new Databases(options.dataDir ?? "./data", webMigrationsOf(SERVICES));
  const kernel: KernelServices = {
    statuses: options.statuses ?? new ConsumerStore(),
    broker: options.brokerProbe ?? createBrokerProbe(kafkaConfig),
    httpMetrics: new HttpMetrics(),
    subscribe: options.subscribe ?? subscribe,
    staleAfterMs: positive("staleAfterMs", options.staleAfterMs, STALE_AFTER_MS),
    outboxMaxAgeMs: positive("outboxMaxAgeMs", options.outboxMaxAgeMs, 60_000),
    coalesceMs: positive("coalesceMs", options.coalesceMs, DEFAULT_COALESCE_MS),
    heartbeatMs: positive("heartbeatMs", options.heartbeatMs, 15_000),
    clientStreams: new ClientStreams(options.streamsPerBrowser),
    shutdown,
    dataDir: options.dataDir ?? "./data",
    topicPrefix: options.topicPrefix ?? "",
    kafka: options.kafka ?? createWebKafka(kafkaConfig),
    databases,
    auth: createWebAuth(authConfig, { db: () => consoleDb({ databases }) }),
    principals: principalsOf(SERVICES),
    jsonPaths: jsonPathsOf(SERVICES),
    consumerGroups: groupOwnersOf(SERVICES),
  };
  const parts = new WebParts(kernel, webPartsOf(SERVICES), options);
  const services: WebServices = { ...kernel, part: (part) => parts.get(part) };
  // Closing starts at once, databases closed before the abort returns (as a test may then
  // remove the data folder); clients disconnect in the background.
  shutdown.addEventListener("abort", () => {
    void parts.close();
    void services.kafka.close();
    services.databases.close();
  }, { once: true });
  const maxBodyBytes = positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);

  const [table, islands] = await Promise.all([
    options.routeTable ?? loadAppRoutes(root),
    loadIslands(new URL("islands/", root)),
  ]);
  const staticDir = new URL("static/", root);
  const exists = (file: string) =>
    Deno.stat(new URL(file, staticDir)).then((s) => s.isFile, () => false);
  const assets: DocumentAssets = {
    bundle: await bundleIslands(islands, { minify: options.minifyIslands }),
    stylesheets: await exists("styles.css") ? ["/styles.css"] : [],
    icon: await exists("favicon.svg") ? "/favicon.svg" : undefined,
    app: table.app?.default,
  };
  const answers: ErrorAnswers = {
    renderHtml: errorPageRenderer(assets, table.notFound?.default),
    jsonPaths: kernel.jsonPaths,
    shapes: errorShapesOf(SERVICES),
  };

  const app = new Hono<WebEnv>();
  app.onError((error, c) => errorResponse(error, c.req.raw, answers));
  app.notFound((c) => errorResponse(new HttpError(404, "Not Found"), c.req.raw, answers));
  app.use("*", async (c, next) => {
    c.set("state", {});
    await next();
  });
  app.use("*", countRequests(services.httpMetrics));
  app.use("*", securityHeaders());
  app.use("*", browserCookieMiddleware());
  app.use("*", hostAllowlist(authConfig));
  app.use("*", csrf({ trustedOrigins: options.trustedOrigins }));
  app.use("*", bodyLimit({ maxBodyBytes }));
  app.use("*", authenticate(services));
  app.get(`${ISLANDS_PREFIX}/:build/:path{.+}`, (c) => {
    c.set("route", `${ISLANDS_PREFIX}/*`);
    const response = islandAsset(assets.bundle, c.req.param("build"), c.req.param("path"));
    if (!response) throw new HttpError(404, "Not Found");
    return response;
  });
  mountRoutes(app, table.routes, { services, assets });
  app.use("*", serveStatic(staticDir));
  app.fetch = canonicalFetch(app.fetch, authConfig);
  return app;
}

/** Options of `serveApp`: the app's and the server's. */
export type ServeAppOptions = CreateAppOptions & ServeOptions;

/**
 * Builds the app and serves it (shared/web/serve.ts): the bus bridge, the
 * consumer Workers and the feed of their statuses around it.
 */
export async function serveApp(options: ServeAppOptions): Promise<RunningServer> {
  const env = options.env ?? readEnv(kafkaEnvNames("web"));
  const statuses = options.statuses ?? new ConsumerStore();
  const shutdown = new AbortController();
  const app = await createApp({ ...options, env, statuses, shutdown: shutdown.signal });
  return await startServer({ ...options, app, env, statuses, shutdown });
}
