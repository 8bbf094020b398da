/**
 * The balances consumer's group: `balances-service`, and under a topic
 * prefix `balances-service-<prefix>`. Two deployments (or a test and a
 * running server) sharing a cluster then never share a group: members of
 * one group subscribed to different topics would be handed each other's
 * partitions. Every name stays under the principal's `balances-*` group ACL.
 */
import { TOPIC_PREFIX_ENV } from "../topics.ts";
import { BALANCES_SERVICE } from "./balance.ts";

/** The group of the balances consumer for the topic prefix of `env`. */
export function balancesGroupId(env: Record<string, string | undefined>): string {
  const prefix = (env[TOPIC_PREFIX_ENV] ?? "").replace(/[._-]+$/, "");
  return prefix === "" ? BALANCES_SERVICE : `${BALANCES_SERVICE}-${prefix}`;
}
