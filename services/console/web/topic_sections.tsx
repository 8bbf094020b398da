/**
 * The read-only sections of a topic's console page: partitions, the groups
 * reading it (linking the monitor's group page and the console's group
 * actions), and configs with topic overrides marked. Every value is text.
 */
import type { TopicDetail } from "../topics/topic_detail.ts";
import { count } from "./format.ts";
import { humanConfigValue } from "../../../shared/web/units.ts";
import { sortableTable } from "../../../shared/web/page_features.ts";

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
            <td class={`num ${p.leaderless ? "bad" : ""}`}>
              {p.leaderless ? "none: offline" : p.leader}
            </td>
            <td>{p.replicas.join(", ")}</td>
            <td class={p.isr.length < p.replicas.length ? "warn" : undefined}>
              {p.isr.join(", ")}
            </td>
            <td class="num">{p.leaderless ? "—" : count(p.start)}</td>
            <td class="num">{p.leaderless ? "—" : count(p.end)}</td>
            <td class="num">{p.leaderless ? "—" : count(p.messages)}</td>
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

const SOURCE_NAMES: Record<string, string> = {
  topic: "topic override",
  "broker (dynamic)": "broker (dynamic)",
  "cluster default (dynamic)": "cluster default (dynamic)",
  broker: "broker (server.properties)",
  default: "Kafka's default",
};

/** Whether `config` differs from Kafka's default (set on the topic, the broker or the cluster). */
export function isChanged(config: { source: string }): boolean {
  return config.source !== "default";
}

/** Props of ConfigTable. */
export interface ConfigTableProps {
  topic: TopicDetail;
  /** Only the configs changed from Kafka's default. */
  changedOnly: boolean;
  /** The link of the list with all configs, or only the changed ones. */
  href: (changedOnly: boolean) => string;
}

/**
 * The configs: overrides first, each value in human units (`7 d`,
 * `unlimited`, `1 GiB`) with the raw one beside it, where it comes from,
 * and a filter for those changed from Kafka's default.
 */
export function ConfigTable({ topic, changedOnly, href }: ConfigTableProps) {
  const rank = (c: { source: string }) => c.source === "topic" ? 0 : isChanged(c) ? 1 : 2;
  const all = [...topic.configs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const changed = all.filter(isChanged);
  const configs = changedOnly ? changed : all;
  return (
    <>
      <nav class="filters" aria-label="Configs shown">
        <a href={href(false)} aria-current={changedOnly ? undefined : "page"}>
          All ({all.length})
        </a>
        <a href={href(true)} aria-current={changedOnly ? "page" : undefined}>
          Changed from default ({changed.length})
        </a>
      </nav>
      <table class="configs" {...sortableTable()}>
        <thead>
          <tr>
            <th scope="col">Config</th>
            <th scope="col">Value</th>
            <th scope="col">As Kafka stores it</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {configs.map((c) => {
            const human = c.sensitive ? undefined : humanConfigValue(c.name, c.value);
            return (
              <tr
                key={c.name}
                class={c.source === "topic" ? "override" : undefined}
                data-config={c.name}
              >
                <td>
                  <code>{c.name}</code>
                </td>
                <td class="break" data-field="human">
                  {c.sensitive ? "(hidden)" : human ?? c.value ?? ""}
                </td>
                <td class="break muted" data-field="raw">
                  {human !== undefined ? c.value : ""}
                </td>
                <td data-field="source">
                  {c.source === "topic"
                    ? <strong>{SOURCE_NAMES.topic}</strong>
                    : SOURCE_NAMES[c.source] ?? c.source}
                  {c.readOnly && <span class="muted">(read-only)</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
