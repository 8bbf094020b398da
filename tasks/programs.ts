/**
 * Every program a `deno task` starts through the launcher, with what it
 * may touch. The grant is computed at start from the configuration (the
 * brokers the cluster advertises, `DATA_DIR`, `HOST`/`PORT`, `DOCTOR_NAME`,
 * `PAYMENTS_INSTANCE`, the TLS files), so the same task runs on a laptop
 * and against any cluster with least privilege. See docs/decisions.md
 * ("Permissions: a launcher, not static task lines").
 */
import { SCHEMA_REGISTRY_ENV } from "../shared/schema/schema_env.ts";
import { CONSUMER_REGISTRY_ENV, consumerEntries } from "../consumers/mod.ts";
import { PRODUCER_ENV as BALANCES_PRODUCER_ENV } from "../services/balances/cli/produce.ts";
import { PRODUCER_ENV as DEMANDS_PRODUCER_ENV } from "../services/demands/cli/produce.ts";
import { SERVER_ENV_NAMES } from "../server.ts";
import { REST_PROXY_ENV_NAMES } from "../services/rest_proxy/mod.ts";
import { AUTH_ENV_NAMES } from "../shared/web/auth/mod.ts";
import { OIDC_LAUNCHER_ENV, oidcNetHosts } from "../shared/web/auth/oidc/oidc_config.ts";
import { STREAM_ENV_NAMES } from "../services/console/messages/stream_limits.ts";
import { busSocketPath } from "../shared/bus/bridge.ts";
import { consumerEnvNames } from "../shared/consumer/main.ts";
import { consumerProcessGrant } from "../shared/consumer/workers.ts";
import {
  KAFKA_TLS_FILE_ENV_NAMES,
  kafkaEnvNames,
  KAFKAJS_ENV_NAMES,
  kafkaTlsFiles,
} from "../shared/kafka/config.ts";
import { KAFKA_HOSTS_ENV } from "../shared/permissions/kafka_hosts.ts";
import { absolutePath, type Grant } from "../shared/permissions/grant.ts";

/** What a program's grant is computed from. */
export interface LaunchContext {
  /** The project folder (absolute). */
  root: string;
  /** The launcher's environment (the variables it may read). */
  env: Record<string, string | undefined>;
  /** `DATA_DIR` (default `data`). */
  dataDir: string;
  /** Every broker to grant: the bootstrap list and the ones the cluster advertises. */
  brokers: string[];
}

/** One program: its entry file, who logs in to Kafka, and its grant. */
export interface Program {
  /** The task name, e.g. `start` or `consumer:doctor`. */
  name: string;
  /** Entry file, relative to the project folder. */
  entry: string;
  /** The principal whose credentials find the cluster's brokers (none: no Kafka). */
  principal: string;
  grant(ctx: LaunchContext): Grant;
}

/** Variables the launcher itself reads: its settings, and KafkaJS's when its modules load. */
export const LAUNCHER_ENV = [
  ...KAFKAJS_ENV_NAMES,
  "LOG_LEVEL",
  "KAFKA_BROKERS",
  ...KAFKA_TLS_FILE_ENV_NAMES,
  "DATA_DIR",
  "HOST",
  "PORT",
  SCHEMA_REGISTRY_ENV,
  ...CONSUMER_REGISTRY_ENV,
  ...OIDC_LAUNCHER_ENV,
] as const;

/** The TLS files the configuration names (CA, client certificate and key): readable, nothing else. */
const tlsFiles = (ctx: LaunchContext) => kafkaTlsFiles(ctx.env).map(absolutePath);

/** The Schema Registry's `host:port` when `SCHEMA_REGISTRY_URL` names one (the server reads it). */
function schemaRegistryHost(env: LaunchContext["env"]): string[] {
  const url = env[SCHEMA_REGISTRY_ENV];
  if (!url) return [];
  try {
    const { hostname, port, protocol } = new URL(url);
    return [`${hostname}:${port || (protocol === "https:" ? "443" : "80")}`];
  } catch {
    return [];
  }
}

/** Every variable the web server and its consumer Workers read. */
export function serverEnvNames(): string[] {
  const names = new Set<string>([
    ...SERVER_ENV_NAMES,
    "LOG_LEVEL",
    KAFKA_HOSTS_ENV,
    ...kafkaEnvNames("web"),
    ...kafkaEnvNames("console"),
    ...AUTH_ENV_NAMES,
    ...STREAM_ENV_NAMES,
    ...CONSUMER_REGISTRY_ENV,
    ...REST_PROXY_ENV_NAMES,
    SCHEMA_REGISTRY_ENV,
  ]);
  for (const entry of consumerEntries({})) {
    for (const name of consumerEnvNames(entry.module, entry.principal)) names.add(name);
  }
  return [...names];
}

/** Where the server listens: `host:port`, or the host alone for a random port. */
function listenAddress(env: LaunchContext["env"]): string {
  const host = env.HOST || "127.0.0.1";
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const port = env.PORT || "8000";
  return port === "0" ? bracketed : `${bracketed}:${port}`;
}

/** The web server (`deno task start`): listens, serves, runs the consumers as Workers. */
const server: Program = {
  name: "start",
  entry: "server.ts",
  principal: "web",
  grant: (ctx) => {
    const data = absolutePath(ctx.dataDir);
    return {
      net: [
        ...ctx.brokers,
        listenAddress(ctx.env),
        `unix:${absolutePath(busSocketPath(ctx.dataDir))}`,
        ...schemaRegistryHost(ctx.env),
        ...oidcNetHosts(ctx.env), // single sign-on: the provider's issuer and FRESHET_OIDC_HOSTS
      ],
      read: [ctx.root, data, ...tlsFiles(ctx)],
      write: [data],
      env: serverEnvNames(),
    };
  },
};

/** Topics and ACLs (`deno task topics`), as the admin principal. */
const topics: Program = {
  name: "topics",
  entry: "kafka/topics_main.ts",
  principal: "admin",
  grant: (ctx) => ({
    net: ctx.brokers,
    read: [ctx.root, ...tlsFiles(ctx)],
    write: [],
    env: [...kafkaEnvNames("admin"), "LOG_LEVEL"],
  }),
};

function producer(name: string, entry: string, principal: string, env: string[]): Program {
  return {
    name,
    entry,
    principal,
    grant: (ctx) => ({ net: ctx.brokers, read: tlsFiles(ctx), write: [], env }),
  };
}

/** The tour of Kafka's concepts (`deno task tour`), as admin (and `balances` for its ACL step). */
const tour: Program = {
  name: "tour",
  entry: "tour/main.ts",
  principal: "admin",
  grant: (ctx) => ({
    net: ctx.brokers,
    read: [ctx.root, ...tlsFiles(ctx)],
    write: [`${ctx.root}/data/tour`],
    env: [...new Set([...kafkaEnvNames("admin"), ...kafkaEnvNames("balances"), "LOG_LEVEL", "CI"])],
  }),
};

/** Every program, the consumers named from `env` (`DOCTOR_NAME`, `PAYMENTS_INSTANCE`). */
export function programs(env: Record<string, string | undefined>): Program[] {
  const consumers = consumerEntries(env).map((entry): Program => ({
    name: `consumer:${entry.task}`,
    entry: new URL(entry.url).pathname.slice(new URL("..", import.meta.url).pathname.length),
    principal: entry.principal,
    grant: (ctx) =>
      consumerProcessGrant(entry, {
        dataDir: ctx.dataDir,
        brokers: ctx.brokers,
        tlsFiles: tlsFiles(ctx),
      }),
  }));
  return [
    server,
    topics,
    ...consumers,
    producer("produce:demands", "services/demands/cli/produce.ts", "web", DEMANDS_PRODUCER_ENV),
    producer("produce:balances", "services/balances/cli/produce.ts", "balances", BALANCES_PRODUCER_ENV),
    tour,
  ];
}
