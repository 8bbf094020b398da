/**
 * Every program a `deno task` starts through the launcher, with what it
 * may touch: the web server, provisioning and the tour here, and each
 * service's programs (its consumers as processes, its CLIs) from the root
 * list (freshet.ts). The grant is computed at start from the
 * configuration (the brokers the cluster advertises, `DATA_DIR`,
 * `HOST`/`PORT`, the instance names, the TLS files), so the same task runs
 * on a laptop and against any cluster with least privilege. See
 * docs/decisions.md ("Permissions: a launcher, not static task lines").
 */
import { SCHEMA_REGISTRY_ENV } from "../shared/schema/schema_env.ts";
import { INSTANCE_ENV, SERVICES } from "../freshet.ts";
import { SERVER_ENV_NAMES } from "../server.ts";
import { AUTH_ENV_NAMES } from "../shared/web/auth/mod.ts";
import { OIDC_LAUNCHER_ENV, oidcNetHosts } from "../shared/web/auth/oidc/oidc_config.ts";
import { busSocketPath } from "../shared/bus/bridge.ts";
import {
  KAFKA_TLS_FILE_ENV_NAMES,
  kafkaEnvNames,
  KAFKAJS_ENV_NAMES,
} from "../shared/kafka/config.ts";
import { KAFKA_HOSTS_ENV } from "../shared/permissions/kafka_hosts.ts";
import { absolutePath } from "../shared/permissions/grant.ts";
import { type LaunchContext, launchTlsFiles, type Program } from "../shared/service/program.ts";
import { programsOf, webEnvOf } from "../shared/service/registry.ts";
import { alertWebhookHosts } from "../services/alerts/mod.ts";

export type { LaunchContext, Program } from "../shared/service/program.ts";

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
  ...INSTANCE_ENV,
  ...OIDC_LAUNCHER_ENV,
  "FRESHET_ALERT_WEBHOOK_URL",
] as const;

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

/** Every variable the web server and its consumer Workers read: the kernel's and the services'. */
export function serverEnvNames(): string[] {
  return [
    ...new Set<string>([
      ...SERVER_ENV_NAMES,
      "LOG_LEVEL",
      KAFKA_HOSTS_ENV,
      ...kafkaEnvNames("web"),
      ...AUTH_ENV_NAMES,
      SCHEMA_REGISTRY_ENV,
      ...webEnvOf(SERVICES),
    ]),
  ];
}

/** Where the server listens: `host:port`, or the host alone for a random port. */
function listenAddress(env: LaunchContext["env"]): string {
  const host = env.HOST || "127.0.0.1";
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const port = env.PORT || "8000";
  return port === "0" ? bracketed : `${bracketed}:${port}`;
}

const root = (path: string) => new URL(`../${path}`, import.meta.url);

/** The web server (`deno task start`): listens, serves, runs the consumers as Workers. */
const server: Program = {
  name: "start",
  entry: root("server.ts"),
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
        ...alertWebhookHosts(ctx.env), // alert webhooks: FRESHET_ALERT_WEBHOOK_URL and alerts.txt's
      ],
      read: [ctx.root, data, ...launchTlsFiles(ctx)],
      write: [data],
      env: serverEnvNames(),
    };
  },
};

/** Topics and ACLs (`deno task topics`), as the admin principal. */
const topics: Program = {
  name: "topics",
  entry: root("kafka/topics_main.ts"),
  principal: "admin",
  grant: (ctx) => ({
    net: ctx.brokers,
    read: [ctx.root, ...launchTlsFiles(ctx)],
    write: [],
    env: [...kafkaEnvNames("admin"), "LOG_LEVEL"],
  }),
};

/** The tour of Kafka's concepts (`deno task tour`), as admin (and `balances` for its ACL step). */
const tour: Program = {
  name: "tour",
  entry: root("tour/main.ts"),
  principal: "admin",
  grant: (ctx) => ({
    net: ctx.brokers,
    read: [ctx.root, ...launchTlsFiles(ctx)],
    write: [`${ctx.root}/data/tour`],
    env: [...new Set([...kafkaEnvNames("admin"), ...kafkaEnvNames("balances"), "LOG_LEVEL", "CI"])],
  }),
};

/** Every program, the consumers named from `env` (the instance variables). */
export function programs(env: Record<string, string | undefined>): Program[] {
  const services = programsOf(SERVICES, env);
  const consumers = services.filter((p) => p.name.startsWith("consumer:"));
  const clis = services.filter((p) => !p.name.startsWith("consumer:"));
  return [server, topics, ...consumers, ...clis, tour];
}
