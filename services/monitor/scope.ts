/**
 * What the monitor watches. Without a topic prefix: every topic except
 * Kafka's internal ones (`__consumer_offsets`, `__transaction_state`, any
 * `__*`) and every consumer group. Under `FRESHET_TOPIC_PREFIX` (a
 * deployment sharing a cluster, or a test): the topics under the prefix,
 * and the groups named for it — starting with the prefix or containing its
 * stem, as shared/kafka/names.ts `groupName` makes them.
 */

/** The prefix without its trailing separators (`staging.` → `staging`). */
function stem(prefix: string): string {
  return prefix.replace(/[._-]+$/, "");
}

/** Whether the monitor counts `topic`. */
export function topicInScope(topic: string, prefix: string): boolean {
  if (topic.startsWith("__")) return false;
  return topic.startsWith(prefix);
}

/** Whether the monitor samples group `groupId`. */
export function groupInScope(groupId: string, prefix: string): boolean {
  if (prefix === "") return true;
  const s = stem(prefix);
  return groupId.startsWith(prefix) || (s !== "" && groupId.includes(s));
}
