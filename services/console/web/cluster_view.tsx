/**
 * The cluster overview's sections (`/console/cluster`) and its summary
 * (the home page): brokers, the partitions in trouble, the quorum,
 * features, topics by size. Every value is text; each topic named links
 * its console page.
 */
import type { ClusterOverview } from "../cluster/cluster_overview.ts";
import type { PartitionIssue } from "../cluster/partition_health.ts";
import { formatBytes, formatCount } from "../../../shared/web/units.ts";
import { Time } from "../../../shared/web/time.tsx";
import { sortableTable } from "../../../shared/web/page_features.ts";

const topicHref = (topic: string) => `/console/topics/${encodeURIComponent(topic)}`;

/** The counts of trouble, with the words for them. */
function troubleOf(o: ClusterOverview) {
  const down = o.brokers.filter((b) => b.state !== "up").length;
  return [
    { n: down, what: down === 1 ? "broker not up" : "brokers not up", anchor: "brokers" },
    { n: o.partitions.offline.length, what: "offline", anchor: "offline" },
    { n: o.partitions.underMinIsr.length, what: "under min ISR", anchor: "under-min-isr" },
    {
      n: o.partitions.underReplicated.length,
      what: "under-replicated",
      anchor: "under-replicated",
    },
  ];
}

/** One line for the home page: brokers up, version, controller, partitions in trouble. */
export function ClusterSummary({ overview: o }: { overview: ClusterOverview }) {
  const up = o.brokers.filter((b) => b.state === "up").length;
  const trouble = troubleOf(o).filter((t) => t.n > 0);
  return (
    <div class="cluster-summary" data-ok={trouble.length === 0 ? "yes" : "no"}>
      <p>
        <strong>
          {up} of {o.brokers.length}
        </strong>{" "}
        broker(s) up · Kafka {o.kafka.releases.join(", ") || "?"}
        {o.kafka.metadataVersion && ` (metadata.version ${o.kafka.metadataVersion})`} · controller
        {" "}
        {o.controller ?? "unknown"} · {formatCount(o.partitions.total)} partitions ·{" "}
        {formatBytes(o.brokers.reduce((s, b) => s + (b.sizeBytes ?? 0), 0))} on disk
      </p>
      {trouble.length === 0
        ? <p class="ok">Every partition has its replicas in sync.</p>
        : (
          <ul class="trouble">
            {trouble.map((t) => (
              <li key={t.anchor} class="bad">
                <a href={`/console/cluster#${t.anchor}`}>
                  {formatCount(t.n)} {t.what}
                </a>
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}

function Brokers({ overview: o }: { overview: ClusterOverview }) {
  return (
    <table class="brokers" {...sortableTable()}>
      <thead>
        <tr>
          <th scope="col" class="num">Broker</th>
          <th scope="col">Address</th>
          <th scope="col">Rack</th>
          <th scope="col">State</th>
          <th scope="col">Kafka</th>
          <th scope="col" class="num">Leaders</th>
          <th scope="col" class="num">Replicas</th>
          <th scope="col" class="num">On disk</th>
          <th scope="col">Log directories (used · free of size)</th>
        </tr>
      </thead>
      <tbody>
        {o.brokers.map((b) => (
          <tr key={b.id} data-broker={b.id} data-state={b.state}>
            <td class="num">
              {b.id}
              {b.isController && <span class="tag">controller</span>}
            </td>
            <td class="id">{b.address ?? "—"}</td>
            <td>{b.rack ?? <span class="muted">none</span>}</td>
            <td>
              <span class={b.state === "up" ? "ok" : "bad"}>{b.state}</span>
              {b.problem && <span class="muted break broker-problem">{b.problem}</span>}
            </td>
            <td>{b.release ?? "—"}</td>
            <td class="num">{formatCount(b.leaders)}</td>
            <td class="num">{formatCount(b.replicas)}</td>
            <td class="num" data-sort={b.sizeBytes ?? -1}>
              {b.sizeBytes === null ? "—" : formatBytes(b.sizeBytes)}
            </td>
            <td>
              {b.logDirs.map((d) => (
                <div key={d.path} class="log-dir">
                  <code>{d.path}</code> {d.error ? <span class="bad">{d.error}</span> : (
                    <span>
                      {formatBytes(d.sizeBytes)}
                      {d.usableBytes !== null && d.totalBytes !== null &&
                        ` · ${formatBytes(d.usableBytes)} free of ${formatBytes(d.totalBytes)}`}
                    </span>
                  )}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Issues(
  { id, title, issues, empty }: {
    id: string;
    title: string;
    issues: PartitionIssue[];
    empty: string;
  },
) {
  return (
    <section aria-labelledby={`${id}-title`} id={id}>
      <h3 id={`${id}-title`}>
        {title} <span class={issues.length ? "bad" : "ok"}>({formatCount(issues.length)})</span>
      </h3>
      {issues.length === 0
        ? <p class="muted">{empty}</p>
        : (
          <table class="partition-issues" data-list={id} {...sortableTable()}>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" class="num">Partition</th>
                <th scope="col" class="num">Leader</th>
                <th scope="col">Replicas</th>
                <th scope="col">In sync</th>
                <th scope="col">Not in sync</th>
                <th scope="col" class="num">Min ISR</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((p) => (
                <tr key={`${p.topic}:${p.partition}`} data-partition={`${p.topic}:${p.partition}`}>
                  <td class="break">
                    <a href={topicHref(p.topic)}>{p.topic}</a>
                  </td>
                  <td class="num">{p.partition}</td>
                  <td class={`num ${p.leader < 0 ? "bad" : ""}`}>
                    {p.leader < 0 ? "none" : p.leader}
                  </td>
                  <td>{p.replicas.join(", ")}</td>
                  <td>{p.isr.join(", ") || "none"}</td>
                  <td class="bad">
                    {p.replicas.filter((r) =>
                      !p.isr.includes(r)
                    ).join(", ")}
                  </td>
                  <td class="num">{p.minIsr ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

/** Props of ClusterTopics. */
export interface ClusterTopicsProps {
  overview: ClusterOverview;
  /** The rows of the page shown (the topics sorted by size, largest first). */
  from: number;
  to: number;
}

/** Topics by size on disk, with each broker's share. */
export function ClusterTopics({ overview: o, from, to }: ClusterTopicsProps) {
  const ids = o.brokers.filter((b) => b.state === "up").map((b) => b.id);
  return (
    <table class="topic-sizes" {...sortableTable()}>
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col" class="num">Partitions</th>
          <th scope="col" class="num">Replication</th>
          <th scope="col" class="num">On disk</th>
          {ids.map((id) => <th scope="col" class="num" key={id}>Broker {id}</th>)}
          <th scope="col">Trouble</th>
        </tr>
      </thead>
      <tbody>
        {o.topics.slice(from, to).map((t) => (
          <tr key={t.topic} data-topic={t.topic}>
            <td class="break">
              <a href={topicHref(t.topic)}>{t.topic}</a>
            </td>
            <td class="num">{t.partitions}</td>
            <td class="num">{t.replicationFactor}</td>
            <td class="num" data-sort={t.sizeBytes}>{formatBytes(t.sizeBytes)}</td>
            {ids.map((id) => (
              <td class="num" key={id} data-sort={t.byBroker[id] ?? 0}>
                {t.byBroker[id] === undefined ? "—" : formatBytes(t.byBroker[id])}
              </td>
            ))}
            <td class="bad">
              {[
                t.offline && `${t.offline} offline`,
                t.underMinIsr && `${t.underMinIsr} under min ISR`,
                t.underReplicated && `${t.underReplicated} under-replicated`,
              ].filter(Boolean).join(", ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything above the topics. */
export function ClusterDetail({ overview: o }: { overview: ClusterOverview }) {
  return (
    <>
      <section aria-labelledby="brokers-title" id="brokers">
        <h2 id="brokers-title">Brokers</h2>
        <Brokers overview={o} />
      </section>
      <section aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partitions in trouble</h2>
        <Issues
          id="offline"
          title="Offline (no leader)"
          issues={o.partitions.offline}
          empty="Every partition has a leader."
        />
        <Issues
          id="under-min-isr"
          title="Under min ISR (acks=all writes fail)"
          issues={o.partitions.underMinIsr}
          empty="Every partition has at least its topic's min.insync.replicas in sync."
        />
        <Issues
          id="under-replicated"
          title="Under-replicated"
          issues={o.partitions.underReplicated}
          empty="Every replica is in sync."
        />
      </section>
      <section aria-labelledby="quorum-title">
        <h2 id="quorum-title">KRaft controller quorum</h2>
        {o.quorum
          ? (
            <>
              <p>
                Active controller: <strong>{o.controller}</strong> · epoch {o.quorum.leaderEpoch}
                {" "}
                · high watermark {formatCount(o.quorum.highWatermark)}
              </p>
              <table class="quorum">
                <thead>
                  <tr>
                    <th scope="col" class="num">Node</th>
                    <th scope="col">Role</th>
                    <th scope="col" class="num">Behind (records)</th>
                    <th scope="col">Last caught up</th>
                  </tr>
                </thead>
                <tbody>
                  {[
                    ...o.quorum.voters.map((r) => ({ ...r, role: "voter" })),
                    ...o.quorum.observers.map((r) => ({ ...r, role: "observer" })),
                  ].map((r) => (
                    <tr key={`${r.role}:${r.id}`}>
                      <td class="num">{r.id}</td>
                      <td>{r.id === o.controller ? "voter (leader)" : r.role}</td>
                      <td class="num">{formatCount(r.lag)}</td>
                      <td>{r.lastCaughtUp ? <Time at={r.lastCaughtUp} relative /> : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
          : <p class="warn">The quorum could not be described: {o.quorumProblem}</p>}
      </section>
      <section aria-labelledby="features-title">
        <h2 id="features-title">Features</h2>
        <table class="features">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Finalized</th>
              <th scope="col">Supported by every broker</th>
            </tr>
          </thead>
          <tbody>
            {o.features.map((f) => (
              <tr key={f.name}>
                <td>
                  <code>{f.name}</code>
                </td>
                <td>
                  {f.level === null ? "—" : f.label ? `${f.label} (level ${f.level})` : f.level}
                </td>
                <td>{f.supportedMin === null ? "—" : `${f.supportedMin}–${f.supportedMax}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
