/**
 * The balances consumer's group: `balances-service`, and under a topic
 * prefix `balances-service-<prefix>` (see shared/kafka/names.ts). Every
 * name stays under the principal's `balances-*` group ACL.
 */
import { groupName } from "../../shared/kafka/names.ts";
import { BALANCES_SERVICE } from "./balance.ts";

/** The group of the balances consumer for the topic prefix of `env`. */
export function balancesGroupId(env: Record<string, string | undefined>): string {
  return groupName(env, BALANCES_SERVICE);
}
