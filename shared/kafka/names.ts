/**
 * Topic and group names under a deployment prefix. Every service takes its
 * topics' names through `topicName`, so a deployment (or a test) can put
 * all of Freshet under a prefix: `FRESHET_TOPIC_PREFIX=staging.` makes
 * `demands.created` into `staging.demands.created`. ACLs must then name the
 * prefixed topics.
 *
 * Deployments sharing a cluster under different prefixes must never share
 * a consumer group either: members subscribed to other topics would be
 * handed their partitions. So `groupName` gives a group the prefix as a
 * suffix, keeping the start that kafka-acls.txt grants:
 * `payments-service-group` becomes `payments-service-group-staging` under
 * `staging.`; without a prefix the name is unchanged.
 */

/** Variable holding the prefix. */
export const TOPIC_PREFIX_ENV = "FRESHET_TOPIC_PREFIX";

/** `base` under the prefix of `env` (none by default). */
export function topicName(env: Record<string, string | undefined>, base: string): string {
  return `${env[TOPIC_PREFIX_ENV] ?? ""}${base}`;
}

/** `base`, suffixed with the topic prefix of `env` (if any, without trailing separators). */
export function groupName(env: Record<string, string | undefined>, base: string): string {
  const prefix = (env[TOPIC_PREFIX_ENV] ?? "").replace(/[._-]+$/, "");
  return prefix ? `${base}-${prefix}` : base;
}
