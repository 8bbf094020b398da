/** What a rule observes in a snapshot, by its kind (undefined: it cannot tell now). */
import type { AlertRule } from "../rules/rule.ts";
import type { Observation } from "../state_machine.ts";
import { brokerObservations, partitionObservations } from "./cluster_conditions.ts";
import { consumerObservations } from "./consumer_condition.ts";
import { dlqObservations } from "./dlq_condition.ts";
import { lagObservations, statusObservations } from "./group_conditions.ts";
import type { ConditionMemory, Snapshot } from "./snapshot.ts";

/** The observations of `rule` in `snapshot`. */
export function observe(
  rule: AlertRule,
  snapshot: Snapshot,
  memory: ConditionMemory,
): Observation[] | undefined {
  switch (rule.kind) {
    case "lag":
      return lagObservations(rule, snapshot);
    case "status":
      return statusObservations(rule, snapshot);
    case "dlq":
      return dlqObservations(rule, snapshot, memory);
    case "consumer":
      return consumerObservations(rule, snapshot);
    case "partitions":
      return partitionObservations(rule, snapshot);
    case "broker":
      return brokerObservations(rule, snapshot, memory);
  }
}

/** Whether any of `rules` needs the cluster's metadata. */
export function needsCluster(rules: readonly AlertRule[]): boolean {
  return rules.some((r) => r.kind === "partitions" || r.kind === "broker");
}
