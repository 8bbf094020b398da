/**
 * The brokers this program was granted. The launcher sets
 * `FRESHET_KAFKA_HOSTS` to the bootstrap brokers and every broker the
 * cluster advertised; the web server gives the same list to its consumer
 * Workers (a Worker can only be granted what its host has).
 */
import { readEnv } from "../core/config.ts";
import type { KafkaConfig } from "../kafka/config.ts";

/** Variable set by the launcher. */
export const KAFKA_HOSTS_ENV = "FRESHET_KAFKA_HOSTS";

/** The granted brokers: the launcher's list, else the configured bootstrap brokers. */
export function grantedKafkaHosts(
  config: KafkaConfig,
  env: Record<string, string | undefined> = readEnv([KAFKA_HOSTS_ENV]),
): string[] {
  const listed = (env[KAFKA_HOSTS_ENV] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return [...new Set([...config.brokers, ...listed])];
}
