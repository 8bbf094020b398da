/**
 * The server's consumers, from the status reports it keeps (the bus):
 * `failed` (stopped on a fault it cannot retry), `restarting` (starting,
 * or rejoining its group after a restart), `retrying` (a partition paused
 * on a failing message), `stale` (no report for longer than the server
 * allows: a Worker or process gone quiet). One instance per consumer the
 * rule's glob matches.
 */
import { formatDuration } from "../../monitor/mod.ts";
import { type ConsumerRule, globMatches } from "../rules/rule.ts";
import type { Observation } from "../state_machine.ts";
import type { ConsumerView, Snapshot } from "./snapshot.ts";

/** Which of the rule's states `consumer` is in, if any. */
function problemOf(
  rule: ConsumerRule,
  consumer: ConsumerView,
  snapshot: Snapshot,
): string | undefined {
  const silentMs = snapshot.now - consumer.receivedAt;
  if (rule.states.includes("stale") && silentMs > snapshot.staleAfterMs) {
    return `silent for ${formatDuration(silentMs)} (its last report said ${consumer.state})`;
  }
  if (rule.states.includes("failed") && consumer.state === "failed") {
    return `failed${consumer.lastError ? `: ${consumer.lastError}` : ""}`;
  }
  if (
    rule.states.includes("restarting") &&
    (consumer.state === "starting" || consumer.state === "rejoining")
  ) {
    return `restarting (${consumer.state})`;
  }
  if (rule.states.includes("retrying") && consumer.state === "retrying") {
    return `retrying${consumer.lastError ? `: ${consumer.lastError}` : ""}`;
  }
  return undefined;
}

/** Each consumer the rule matches. */
export function consumerObservations(rule: ConsumerRule, snapshot: Snapshot): Observation[] {
  return snapshot.consumers.filter((c) => globMatches(rule.consumer, c.name)).map((c) => {
    const problem = problemOf(rule, c, snapshot);
    return {
      instance: c.name,
      active: problem !== undefined,
      summary: `consumer ${c.name} (group ${c.groupId}) is ${problem ?? c.state}`,
      details: {
        consumer: c.name,
        group: c.groupId,
        state: c.state,
        lastError: c.lastError ?? null,
      },
    };
  });
}
