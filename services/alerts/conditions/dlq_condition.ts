/**
 * Dead letters arriving: the monitor counts every topic's messages; a
 * dead-letter topic (the console's conventions: `.dlq`, `.DLT`, `-dlq`,
 * `dlq-` …) whose count grew since the last evaluation has new arrivals.
 * The alert holds while arrivals keep coming and ends once none came for
 * the rule's `quiet` time. The first evaluation ever only records the
 * counts (dead letters from before alerting began do not fire); a topic
 * whose count went down was created again and starts over.
 */
import { isDeadLetterTopic } from "../../console/mod.ts";
import { formatDuration } from "../../monitor/mod.ts";
import { type DlqRule, matchesScoped } from "../rules/rule.ts";
import type { Observation } from "../state_machine.ts";
import type { ConditionMemory, Snapshot } from "./snapshot.ts";

/** Records the dead-letter counts of `snapshot` in `memory` (once per evaluation, for every rule). */
export function recordDeadLetters(snapshot: Snapshot, memory: ConditionMemory): void {
  if (!snapshot.monitor) return;
  const baseline = memory.dlqBaseline();
  for (const [topic, messages] of snapshot.monitor.topicTotals) {
    if (!isDeadLetterTopic(topic)) continue;
    const seen = memory.dlqSeen(topic);
    if (!seen) memory.setDlqSeen(topic, messages, baseline && messages > 0 ? snapshot.now : 0);
    else if (messages > seen.messages) memory.setDlqSeen(topic, messages, snapshot.now);
    else if (messages < seen.messages) memory.setDlqSeen(topic, messages, seen.changedAt);
  }
  if (!baseline) memory.markDlqBaseline();
}

/** Each dead-letter topic the rule matches: arrivals within its quiet time. */
export function dlqObservations(
  rule: DlqRule,
  snapshot: Snapshot,
  memory: ConditionMemory,
): Observation[] | undefined {
  if (!snapshot.monitor) return undefined;
  const out: Observation[] = [];
  for (const [topic, messages] of snapshot.monitor.topicTotals) {
    if (!isDeadLetterTopic(topic) || !matchesScoped(rule.topic, topic, snapshot.topicPrefix)) {
      continue;
    }
    const seen = memory.dlqSeen(topic);
    const last = seen?.changedAt ?? 0;
    const active = last > 0 && snapshot.now - last < rule.quietMs;
    out.push({
      instance: topic,
      active,
      summary: active
        ? `dead letters arriving on ${topic} (${messages} in all; the last ${
          formatDuration(snapshot.now - last)
        } ago)`
        : `no dead letter on ${topic} for ${formatDuration(rule.quietMs)} (${messages} in all)`,
      details: { topic, messages, lastArrivalAt: last > 0 ? new Date(last).toISOString() : null },
    });
  }
  return out;
}
