/**
 * Consumer group names under a topic prefix. Deployments sharing a cluster
 * under different `FRESHET_TOPIC_PREFIX`es (staging, a test) must never
 * share a group: members subscribed to other topics would be handed their
 * partitions. So a group takes the prefix as a suffix, keeping the start
 * that kafka-acls.txt grants: `payments-service-group` becomes
 * `payments-service-group-staging` under `staging.`; without a prefix the
 * name is unchanged.
 */
import { TOPIC_PREFIX_ENV } from "../topics.ts";

/** `base`, suffixed with the topic prefix of `env` (if any, without trailing separators). */
export function groupName(env: Record<string, string | undefined>, base: string): string {
  const prefix = (env[TOPIC_PREFIX_ENV] ?? "").replace(/[._-]+$/, "");
  return prefix ? `${base}-${prefix}` : base;
}
