/**
 * Which topics the REST-Proxy-compatible produce API may write:
 * `REST_PROXY_TOPICS`, a comma-separated list of topic names as the URL
 * names them (before `FRESHET_TOPIC_PREFIX`), each optionally ending in `*`
 * for a prefix; `*` alone allows every topic, `none` none. Freshet's own
 * internals (`__*`, `*.dlq`) are never allowed, whatever the list says.
 */
import { z } from "zod";
import { parseEnv } from "../../shared/core/config.ts";
import { createLogger } from "../../shared/core/log.ts";

/** Variables the REST proxy reads. */
export const REST_PROXY_ENV_NAMES = ["REST_PROXY_TOPICS"] as const;

/** Topics allowed when `REST_PROXY_TOPICS` is unset: the seeds' REST producers' topics. */
export const DEFAULT_REST_PROXY_TOPICS = "demands.created,primeiro_topico";

/** One entry of the list: a topic name, or a prefix when it ended in `*`. */
export interface TopicRule {
  name: string;
  prefix: boolean;
}

/** The REST proxy's settings. */
export interface RestProxyConfig {
  topics: TopicRule[];
}

const ENTRY = /^[A-Za-z0-9._-]*\*?$/;

/** Topics no REST client may write: Kafka's (`__consumer_offsets`) and the dead letters. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith("__") || name.endsWith(".dlq");
}

const topicRules = z.string().optional().transform((value, ctx) => {
  const text = (value ?? DEFAULT_REST_PROXY_TOPICS).trim();
  if (text.toLowerCase() === "none") return [];
  const entries = text.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !ENTRY.test(e) || e.length > 250);
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: "expected topic names separated by commas, each optionally ending in * " +
        "(a prefix), or none",
    });
    return z.NEVER;
  }
  const internal = entries.filter((e) => !e.endsWith("*") && isInternalTopic(e));
  if (internal.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `${internal.join(", ")}: internal topics (__*, *.dlq) can never be produced ` +
        "through the REST proxy",
    });
    return z.NEVER;
  }
  return entries.map((e): TopicRule =>
    e.endsWith("*") ? { name: e.slice(0, -1), prefix: true } : { name: e, prefix: false }
  );
});

const schema = z.object({ REST_PROXY_TOPICS: topicRules }).catchall(z.string().optional());

/** Parses the settings from `env`; a wrong value throws a `ConfigError` naming the variable. */
export function parseRestProxyConfig(env: Record<string, string | undefined>): RestProxyConfig {
  return { topics: parseEnv(schema, env).REST_PROXY_TOPICS };
}

/** Whether `topic` (as the URL names it) may be produced under `config`. */
export function isTopicAllowed(config: RestProxyConfig, topic: string): boolean {
  if (isInternalTopic(topic)) return false;
  return config.topics.some((rule) =>
    rule.prefix ? topic.startsWith(rule.name) : topic === rule.name
  );
}

const log = createLogger("rest-proxy");
let fromEnv: RestProxyConfig | undefined;

/**
 * The settings from the process environment, read once. Without
 * `--allow-env=REST_PROXY_TOPICS` the default applies (with a warning when
 * the permission could have been asked for).
 */
export function envRestProxyConfig(): RestProxyConfig {
  if (fromEnv) return fromEnv;
  const env: Record<string, string> = {};
  for (const name of REST_PROXY_ENV_NAMES) {
    const granted = Deno.permissions.querySync({ name: "env", variable: name }).state === "granted";
    const value = granted ? Deno.env.get(name) : undefined;
    if (value) env[name] = value;
    if (!granted) log.warn(`${name} is not readable (--allow-env); using the default`);
  }
  fromEnv = parseRestProxyConfig(env);
  return fromEnv;
}
