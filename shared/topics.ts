/**
 * Topic names. Every service takes its topics' names through `topicName`,
 * so a deployment (or a test) can put all of Freshet under a prefix:
 * `FRESHET_TOPIC_PREFIX=staging.` makes `demands.created` into
 * `staging.demands.created`. ACLs must then name the prefixed topics.
 */

/** Variable holding the prefix. */
export const TOPIC_PREFIX_ENV = "FRESHET_TOPIC_PREFIX";

/** `base` under the prefix of `env` (none by default). */
export function topicName(env: Record<string, string | undefined>, base: string): string {
  return `${env[TOPIC_PREFIX_ENV] ?? ""}${base}`;
}
