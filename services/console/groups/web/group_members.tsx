/**
 * A group's type line and members table on `/console/groups/:group`: each
 * member's client, host and assignment; on the consumer protocol (KIP-848)
 * also its epoch, subscription and target assignment, and the group's
 * epochs and assignor. Text only.
 */
import type { GroupDetail, TopicPartitions } from "../group_detail.ts";

/** `topic: 0, 1, 2; other: 4` (or "none"). */
export function formatAssignment(topics: TopicPartitions[] | undefined): string {
  if (!topics || topics.length === 0) return "none";
  return topics.map((t) => `${t.topic}: ${t.partitions.join(", ")}`).join("; ");
}

/** The group's protocol: its type, assignor and (consumer protocol) epochs. */
export function GroupProtocol({ group }: { group: GroupDetail }) {
  if (group.type === "consumer") {
    return (
      <p class="group-protocol" data-group-type="consumer">
        Consumer protocol (KIP-848) · group epoch <strong>{group.groupEpoch}</strong>{" "}
        · assignment epoch <strong>{group.assignmentEpoch}</strong> · assignor{" "}
        {group.protocol || "—"} (on the broker)
      </p>
    );
  }
  return (
    <p class="group-protocol" data-group-type="classic">
      Classic protocol · {group.protocolType || "no protocol type"} · assignor{" "}
      {group.protocol || "—"}
    </p>
  );
}

/** The members table. */
export function GroupMembers({ group }: { group: GroupDetail }) {
  const modern = group.type === "consumer";
  return (
    <table class="group-members">
      <thead>
        <tr>
          <th>Client id</th>
          <th>Host</th>
          <th>Member id</th>
          {modern && <th class="num">Epoch</th>}
          {modern && <th>Subscribed</th>}
          <th>Assigned</th>
          {modern && <th>Target</th>}
        </tr>
      </thead>
      <tbody>
        {group.members.map((m) => (
          <tr key={m.memberId} data-member={m.memberId}>
            <td class="break">{m.clientId}</td>
            <td>{m.host}</td>
            <td class="break">
              {m.memberId}
              {m.instanceId && <span class="muted">(static: {m.instanceId})</span>}
            </td>
            {modern && <td class="num">{m.memberEpoch}</td>}
            {modern && (
              <td class="break">
                {m.subscribedTopicRegex
                  ? `/${m.subscribedTopicRegex}/`
                  : (m.subscribedTopics ?? []).join(", ")}
              </td>
            )}
            <td class="break assignment">{formatAssignment(m.assignment)}</td>
            {modern && <td class="break">{formatAssignment(m.targetAssignment)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
