/**
 * Kafka connection settings of one service principal.
 *
 * Without `KAFKA_BROKERS`, Freshet talks to its local development broker
 * (127.0.0.1:9092, SASL/SCRAM-SHA-256) with that principal's local
 * password. With it, every service uses the given cluster; a cluster on
 * loopback addresses only (the local broker by another name, the local
 * 3-node cluster on 127.0.0.2-4) keeps the local passwords as defaults.
 */
import { z } from "zod";
import { hostPortList, parseEnv, readEnv } from "../core/config.ts";
import { localPassword } from "./principals.ts";
import { KAFKA_TLS_ENV_NAMES, type KafkaTlsConfig, loadTlsConfig } from "./tls_config.ts";

export {
  KAFKA_TLS_ENV_NAMES,
  KAFKA_TLS_FILE_ENV_NAMES,
  type KafkaTlsConfig,
  kafkaTlsFiles,
} from "./tls_config.ts";
import { COMPRESSION_CODECS, type CompressionCodec } from "./codecs/codecs.ts";

/** Address of the local development broker. */
export const LOCAL_BROKER = "127.0.0.1:9092";

/** SASL mechanisms understood by the client. */
export const SASL_MECHANISMS = ["scram-sha-256", "scram-sha-512", "plain"] as const;
export type SaslMechanism = typeof SASL_MECHANISMS[number];

/** How one service connects to Kafka. */
export interface KafkaConfig {
  brokers: string[];
  /**
   * True for a development cluster on this machine: no `KAFKA_BROKERS`, or
   * only loopback addresses (`localhost`, `127.x.x.x`, `::1`). A principal
   * without credentials of its own then logs in with its local default.
   */
  local: boolean;
  clientId: string;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  ssl?: KafkaTlsConfig;
  /** Codec of the batches this service's producers write (default `none`, as Kafka's clients). */
  compression?: CompressionCodec;
}

/** Variables naming one principal's credentials, e.g. `KAFKA_DOCTOR_PASSWORD`. */
export function principalEnvNames(principal: string): [string, string] {
  const p = principal.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return [`KAFKA_${p}_USERNAME`, `KAFKA_${p}_PASSWORD`];
}

/** The variable setting one principal's compression, e.g. `KAFKA_DOCTOR_COMPRESSION`. */
export function compressionEnvName(principal: string): string {
  return `KAFKA_${principal.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_COMPRESSION`;
}

/** Variables KafkaJS itself reads when loaded. */
export const KAFKAJS_ENV_NAMES = [
  "NODE_ENV",
  "KAFKAJS_LOG_LEVEL",
  "KAFKAJS_NO_PARTITIONER_WARNING",
  "KAFKAJS_DEBUG_PROTOCOL_BUFFERS",
  "KAFKAJS_DEBUG_EXTENDED_PROTOCOL_BUFFERS",
] as const;

/** Every variable `loadKafkaConfig(principal)` and KafkaJS read. */
export function kafkaEnvNames(principal: string): string[] {
  return [
    ...KAFKAJS_ENV_NAMES,
    "KAFKA_BROKERS",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    ...KAFKA_TLS_ENV_NAMES,
    "KAFKA_COMPRESSION",
    ...principalEnvNames(principal),
    compressionEnvName(principal),
  ];
}

/** Whether `host:port` names this machine (a local development cluster). */
export function isLoopback(broker: string): boolean {
  const host = broker.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

const schema = z.object({
  KAFKA_BROKERS: hostPortList.optional(),
  KAFKA_SASL_MECHANISM: z.string().transform((value, ctx) => {
    const v = value.toLowerCase();
    if (v === "none") return undefined;
    if ((SASL_MECHANISMS as readonly string[]).includes(v)) return v as SaslMechanism;
    ctx.addIssue({
      code: "custom",
      message: `expected one of ${SASL_MECHANISMS.join(", ")} or none`,
    });
    return z.NEVER;
  }).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_COMPRESSION: z.enum(COMPRESSION_CODECS).optional(),
}).catchall(z.string().optional());

/**
 * Connection settings for `principal`: per-principal variables win over
 * the shared `KAFKA_SASL_*` ones, which win over the local defaults. TLS
 * settings: tls_config.ts (`readFiles: false` leaves the files unread, for
 * a program that hands their paths to another).
 */
export function loadKafkaConfig(
  principal: string,
  env: Record<string, string | undefined> = readEnv(kafkaEnvNames(principal)),
  options: { readFiles?: boolean } = {},
): KafkaConfig {
  const parsed = parseEnv(schema, env);
  const [userVar, passVar] = principalEnvNames(principal);
  const local = parsed.KAFKA_BROKERS === undefined || parsed.KAFKA_BROKERS.every(isLoopback);
  // A principal's own password without a username means "log in as that principal".
  const username = env[userVar] ?? (env[passVar] !== undefined ? principal : undefined) ??
    parsed.KAFKA_SASL_USERNAME ?? (local ? principal : undefined);
  const password = env[passVar] ?? parsed.KAFKA_SASL_PASSWORD ??
    (local ? localPassword(principal) : undefined);
  const mechanism = parsed.KAFKA_SASL_MECHANISM ??
    (username !== undefined ? "scram-sha-256" : undefined);
  const compressionVar = compressionEnvName(principal);
  const own = parseEnv(z.object({ [compressionVar]: z.enum(COMPRESSION_CODECS).optional() }), {
    [compressionVar]: env[compressionVar],
  })[compressionVar];
  const config: KafkaConfig = {
    brokers: parsed.KAFKA_BROKERS ?? [LOCAL_BROKER],
    local,
    clientId: `freshet-${principal}`,
    compression: own ?? parsed.KAFKA_COMPRESSION ?? "none",
  };
  if (mechanism && username !== undefined && password !== undefined) {
    config.sasl = { mechanism, username, password };
  }
  const ssl = loadTlsConfig(env, options);
  if (ssl) config.ssl = ssl;
  return config;
}
