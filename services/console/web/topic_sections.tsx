/**
 * The read-only sections of a topic's console page: partitions, the groups
 * reading it (linking the monitor's group page and the console's group
 * actions), and configs with topic overrides marked. Every value is text.
 */
import type { TopicDetail } from "../topics/topic_detail.ts";
import { count } from "./format.ts";

/** The partitions table. */
export function PartitionTable({ topic }: { topic: TopicDetail }) {
  return (
    <table class="partitions">
      <thead>
        <tr>
          <th class="num">Partition</th>
          <th class="num">Leader</th>
          <th>Replicas</th>
          <th>In sync</th>
          <th class="num">Start</th>
          <th class="num">End</th>
          <th class="num">Messages (≈)</th>
        </tr>
      </thead>
      <tbody>
        {topic.partitions.map((p) => (
          <tr key={p.partition} data-partition={p.partition}>
            <td class="num">{p.partition}</td>
            <td class={`num ${p.leader < 0 ? "bad" : ""}`}>{p.leader < 0 ? "none" : p.leader}</td>
            <td>{p.replicas.join(", ")}</td>
            <td class={p.isr.length < p.replicas.length ? "warn" : undefined}>
              {p.isr.join(", ")}
            </td>
            <td class="num">{count(p.start)}</td>
            <td class="num">{count(p.end)}</td>
            <td class="num">{count(p.messages)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The groups reading the topic. */
export function GroupTable({ topic }: { topic: TopicDetail }) {
  if (topic.groups.length === 0) {
    return <p class="muted">No consumer group has committed an offset on this topic.</p>;
  }
  return (
    <table class="groups">
      <thead>
        <tr>
          <th>Group</th>
          <th>State</th>
          <th class="num">Members</th>
          <th class="num">Lag</th>
          <th>Per partition (committed / end)</th>
        </tr>
      </thead>
      <tbody>
        {topic.groups.map((g) => (
          <tr key={g.groupId} data-group={g.groupId}>
            <td class="break">
              <a href={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</a>{" "}
              <a class="muted" href={`/console/groups/${encodeURIComponent(g.groupId)}`}>
                (offsets)
              </a>
            </td>
            <td>{g.state}</td>
            <td class="num">{g.members}</td>
            <td class="num">{count(g.lag)}</td>
            <td>
              {g.partitions.map((p) => `${p.partition}: ${p.committed ?? "—"} / ${p.end}`).join(
                " · ",
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every config; topic overrides first and marked. */
export function ConfigTable({ topic }: { topic: TopicDetail }) {
  const configs = [...topic.configs].sort((a, b) =>
    Number(b.source === "topic") - Number(a.source === "topic") || a.name.localeCompare(b.name)
  );
  return (
    <table class="configs">
      <thead>
        <tr>
          <th>Config</th>
          <th>Value</th>
          <th>Source</th>
        </tr>
      </thead>
      <tbody>
        {configs.map((c) => (
          <tr key={c.name} class={c.source === "topic" ? "override" : undefined}>
            <td>
              <code>{c.name}</code>
            </td>
            <td class="break">{c.sensitive ? "(hidden)" : c.value ?? ""}</td>
            <td>
              {c.source === "topic" ? <strong>override</strong> : c.source}
              {c.readOnly && <span class="muted">(read-only)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
