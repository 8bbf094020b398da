/**
 * `/console/topics`: every topic with partitions, replication, min ISR,
 * cleanup policy, retention, approximate message count, current rate (from
 * the monitor, when it runs) and its kafka-topics.txt declaration and
 * drift; a filter by name (`q`), 50 a page (`page`); and (operator) a form
 * creating a topic. Works without JavaScript.
 */
import { Handlers, PageProps, RouteAccess, RouteContext } from "../../../shared/web/mod.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import { Problems } from "../../../services/console/web/problems.tsx";
import { count, duration } from "../../../services/console/web/format.ts";
import { readDeclaredTopics } from "../../../services/console/topics/declared_topics.ts";
import {
  listTopicSummaries,
  type TopicSummary,
} from "../../../services/console/topics/topic_list.ts";
import { createTopicAction } from "../../../services/console/topics/topic_actions.ts";
import { consoleHttpError } from "../../../services/console/kafka_http_error.ts";
import { formatRate } from "../../../services/monitor/web/format.ts";
import { monitorReader } from "../../../services/monitor/web/monitor_reader.ts";
import { currentRates } from "../../../services/monitor/web/traffic_queries.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";
import { Pager, pageRows } from "../../../shared/web/paging.tsx";
import { readForm } from "../../../shared/web/form_body.ts";

/** Topics a page shows. */
const TOPICS_PAGE_SIZE = 50;

/** The page title. */
export const title = "Topics · Console · Freshet";

/** What the page shows. */
export interface TopicsPageData {
  topics: TopicSummary[];
  /** Messages per second now, by topic, as the monitor counts them (empty without it). */
  rates: Record<string, number>;
  filter: string;
  topicsFileProblem?: string;
  /** The create form's values and problems after a refused post. */
  form: Record<string, string>;
  problems: string[];
  notice?: string;
}

async function pageData(
  ctx: RouteContext<TopicsPageData>,
): Promise<Omit<TopicsPageData, "form" | "problems">> {
  const filter = (ctx.url.searchParams.get("q") ?? "").trim();
  const declared = await readDeclaredTopics(ctx.services.topicPrefix);
  const all = await ctx.services.part(consoleWeb).kafka.brokerCluster()
    .then((cluster) => listTopicSummaries(cluster, declared))
    .catch((e) => {
      throw consoleHttpError(e, "listing topics");
    });
  const needle = filter.toLowerCase();
  return {
    topics: needle ? all.filter((t) => t.name.toLowerCase().includes(needle)) : all,
    rates: monitorRates(ctx),
    filter,
    topicsFileProblem: declared.problem,
    notice: ctx.url.searchParams.get("deleted")
      ? `Topic ${ctx.url.searchParams.get("deleted")} deleted.`
      : undefined,
  };
}

/** The monitor's current rates; none when the monitor has not counted anything here. */
function monitorRates(ctx: RouteContext<TopicsPageData>): Record<string, number> {
  try {
    const { db, settings } = monitorReader(ctx.services);
    return Object.fromEntries(currentRates(db, settings));
  } catch {
    return {};
  }
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "topic.create" },
};

/** GET: the list; POST: create a topic (303 to it, or 400 with the problems). */
export const handler: Handlers<TopicsPageData> = {
  async GET(_req, ctx) {
    return ctx.render({ ...await pageData(ctx), form: {}, problems: [] });
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const values = {
      name: String(form.get("name") ?? ""),
      partitions: String(form.get("partitions") ?? ""),
      replicationFactor: String(form.get("replicationFactor") ?? ""),
      configs: String(form.get("configs") ?? ""),
    };
    let problems: string[];
    try {
      const result = await createTopicAction(ctx, values);
      if (result.ok) {
        return new Response(null, {
          status: 303,
          headers: {
            location: `/console/topics/${encodeURIComponent(result.value.name)}?created=1`,
          },
        });
      }
      problems = result.problems;
    } catch (error) {
      const httpError = consoleHttpError(error, `creating topic ${values.name}`);
      if (httpError.status === 401 || httpError.status === 403) throw httpError;
      problems = [httpError.message];
    }
    return ctx.render({ ...await pageData(ctx), form: values, problems }, { status: 400 });
  },
};

function TopicRow({ topic, rate }: { topic: TopicSummary; rate?: number }) {
  return (
    <tr data-topic={topic.name} class={topic.exists ? undefined : "missing"}>
      <td class="break">
        {topic.exists
          ? <a href={`/console/topics/${encodeURIComponent(topic.name)}`}>{topic.name}</a>
          : topic.name}
        {topic.internal && <span class="tag">internal</span>}
      </td>
      <td class="num">
        {topic.partitions}
        {topic.offlinePartitions > 0 && (
          <span class="tag warn" title="partitions without a leader: not readable or writable">
            {topic.offlinePartitions} offline
          </span>
        )}
      </td>
      <td class="num">{topic.exists ? topic.replicationFactor : "—"}</td>
      <td class="num">{topic.minInsyncReplicas ?? "—"}</td>
      <td>{topic.cleanupPolicy ?? "—"}</td>
      <td>{duration(topic.retentionMs)}</td>
      <td class="num">{topic.exists ? count(topic.messages) : "—"}</td>
      <td class="num">{rate === undefined ? "—" : formatRate(rate)}</td>
      <td>
        {topic.declared
          ? (topic.drift.length === 0 ? <span class="ok">declared</span> : (
            <details class="drift">
              <summary class="warn">drift ({topic.drift.length})</summary>
              <ul>
                {topic.drift.map((d) => <li key={d}>{d}</li>)}
              </ul>
            </details>
          ))
          : <span class="muted">not declared</span>}
      </td>
    </tr>
  );
}

/** The page. */
export default function Topics({ data, url, state }: PageProps<TopicsPageData>) {
  const operator = state.user?.role === "operator";
  const shown = pageRows(data.topics, url, TOPICS_PAGE_SIZE);
  const pager = <Pager {...shown} noun={data.filter ? "matching topics" : "topics"} />;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>Topics</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.topicsFileProblem && (
        <p class="error" role="alert">kafka-topics.txt: {data.topicsFileProblem}</p>
      )}
      <form method="get" action="/console/topics" class="inline-form">
        <label>
          Name contains <input name="q" value={data.filter} />
        </label>{" "}
        <button type="submit">Filter</button>
      </form>
      {pager}
      <table class="topics">
        <thead>
          <tr>
            <th>Topic</th>
            <th class="num">Partitions</th>
            <th class="num">Replicas</th>
            <th class="num">Min ISR</th>
            <th>Cleanup</th>
            <th>Retention</th>
            <th class="num">Messages (≈)</th>
            <th class="num" title="messages per second now, as the monitor counts them">Rate</th>
            <th>kafka-topics.txt</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((t) => <TopicRow key={t.name} topic={t} rate={data.rates[t.name]} />)}
        </tbody>
      </table>
      {data.topics.length === 0 && <p class="muted">No topic matches.</p>}
      {shown.total > TOPICS_PAGE_SIZE && pager}
      <p class="muted">
        Messages: end − start offset of every partition (compaction and transaction markers make it
        approximate).
      </p>
      {operator && (
        <section aria-labelledby="create-title">
          <h2 id="create-title">Create a topic</h2>
          <Problems title="The topic was not created:" problems={data.problems} />
          <form method="post" action="/console/topics" class="stacked-form">
            <CsrfField state={state} />
            <label>
              Name <input name="name" value={data.form.name ?? ""} required maxLength={249} />
            </label>
            <label>
              Partitions{" "}
              <input
                name="partitions"
                type="number"
                min={1}
                value={data.form.partitions || "3"}
                required
              />
            </label>
            <label>
              Replication factor{" "}
              <input
                name="replicationFactor"
                type="number"
                min={1}
                value={data.form.replicationFactor ?? ""}
                placeholder="min(3, brokers)"
              />
            </label>
            <label>
              Configs (one <code>key=value</code> per line)
              <textarea name="configs" rows={3} placeholder="cleanup.policy=compact">
                {data.form.configs ?? ""}
              </textarea>
            </label>
            <button type="submit">Create</button>
          </form>
        </section>
      )}
    </main>
  );
}
