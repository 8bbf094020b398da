/**
 * `/console/topics/:topic`: a topic in tabs (`?tab=`; Messages and Live
 * tail are /console/topics/:topic/messages):
 * - overview: size on disk, messages, throughput over the last hour (from
 *   the monitor's history, drawn on the server), partitions (leader,
 *   replicas, ISR, offsets), its kafka-topics.txt declaration and drift;
 * - consumers: the groups reading it, with their lag;
 * - settings: configs in human units, overrides first with their source,
 *   all or only those changed from Kafka's default (`?configs=changed`);
 *   for operators, add partitions, change configs, delete;
 * - produce (operators): the form, with what the last send did beside it.
 * Every form posts here with an `intent`; success redirects to its tab
 * (303) with what happened, a refusal shows the tab again with the reason.
 */
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
  type RouteContext,
} from "../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import { count } from "../../../services/console/web/format.ts";
import {
  ConfigTable,
  GroupTable,
  PartitionTable,
} from "../../../services/console/web/topic_sections.tsx";
import {
  type FormState,
  ProduceForm,
  TopicForms,
} from "../../../services/console/web/topic_forms.tsx";
import { TOPIC_PAGE_TABS, TopicTabs } from "../../../services/console/web/topic_tabs.tsx";
import { ThroughputSvg } from "../../../services/console/web/throughput_svg.tsx";
import { readClusterOverview } from "../../../services/console/cluster/cluster_read.ts";
import { monitorReader } from "../../../services/monitor/web/monitor_reader.ts";
import { topicsReport } from "../../../services/monitor/web/traffic_queries.ts";
import type { Point } from "../../../services/monitor/web/types.ts";
import { formatBytes } from "../../../shared/web/units.ts";
import { readDeclaredTopics } from "../../../services/console/topics/declared_topics.ts";
import { describeTopic, type TopicDetail } from "../../../services/console/topics/topic_detail.ts";
import {
  addPartitionsAction,
  changeConfigsAction,
  deleteTopicAction,
} from "../../../services/console/topics/topic_actions.ts";
import { parseConfigLines } from "../../../services/console/topics/topic_input.ts";
import { parseProduceForm } from "../../../services/console/produce/produce_input.ts";
import { produceMessage } from "../../../services/console/produce/produce.ts";
import { consoleHttpError, formProblem } from "../../../services/console/kafka_http_error.ts";
import { isInternalTopic } from "../../../services/console/topics/internal_topics.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";
import { formValues, readForm } from "../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Topic · Console · Freshet";

/** A tab of this page. */
export type TopicPageTab = typeof TOPIC_PAGE_TABS[number];

/** What the page shows. */
export interface TopicPageData {
  topic: TopicDetail;
  /** Kafka's own topic (internal_topics.ts): read-only here. */
  internal: boolean;
  form: FormState;
  notice?: string;
  tab: TopicPageTab;
  /** The overview's extras: size on disk and the last hour's traffic (when known). */
  sizeBytes?: number | null;
  traffic?: { series: Point[]; rate: number; bytes: number; messages: number };
}

function tabOf(url: URL, intent?: string): TopicPageTab {
  if (intent === "produce") return "produce";
  if (intent) return "settings";
  const tab = url.searchParams.get("tab");
  return (TOPIC_PAGE_TABS as readonly string[]).includes(tab ?? "")
    ? tab as TopicPageTab
    : "overview";
}

/** Size on disk (from the cluster overview) and the monitor's last hour, for the overview tab. */
async function overviewExtras(ctx: RouteContext<TopicPageData>, topic: string) {
  const sizeBytes = await readClusterOverview(ctx.services)
    .then((o) => o.topics.find((t) => t.topic === topic)?.sizeBytes ?? null)
    .catch(() => null);
  const { db, settings } = monitorReader(ctx.services);
  const counted = topicsReport(db, settings, "1h").topics.find((t) => t.topic === topic);
  const traffic = counted && {
    series: counted.series,
    rate: counted.rate,
    bytes: counted.bytes,
    messages: counted.messages,
  };
  return { sizeBytes, traffic };
}

/** The page's data for `tab`. */
async function pageData(
  ctx: RouteContext<TopicPageData>,
  tab: TopicPageTab,
  form: FormState,
  notice?: string,
): Promise<TopicPageData> {
  const topic = ctx.params.topic;
  const [detailed, internal, extras] = await Promise.all([
    detail(ctx),
    isInternalTopic(ctx.services.part(consoleWeb).kafka, topic),
    tab === "overview" ? overviewExtras(ctx, topic) : Promise.resolve({}),
  ]);
  return { topic: detailed, internal, form, notice, tab, ...extras };
}

async function detail(ctx: RouteContext<TopicPageData>): Promise<TopicDetail> {
  const topic = ctx.params.topic;
  const declared = await readDeclaredTopics(ctx.services.topicPrefix);
  return await ctx.services.part(consoleWeb).kafka.brokerCluster()
    .then((cluster) => describeTopic(cluster, topic, declared))
    .catch((e) => {
      throw consoleHttpError(e, `describing ${topic}`);
    });
}

function noticeOf(url: URL): string | undefined {
  const q = url.searchParams;
  if (q.has("created")) return "Topic created.";
  if (q.has("produced")) {
    const [partition, offset] = (q.get("produced") ?? "").split(":");
    return `Message produced to partition ${partition} at offset ${offset}.`;
  }
  if (q.has("partitions")) return `The topic now has ${q.get("partitions")} partitions.`;
  if (q.has("configs")) return "Configs changed.";
}

type Outcome = { redirect: string } | { problems: string[] };

async function act(ctx: RouteContext<TopicPageData>, form: FormData): Promise<Outcome> {
  const topic = ctx.params.topic;
  const here = `/console/topics/${encodeURIComponent(topic)}`;
  switch (form.get("intent")) {
    case "produce": {
      const parsed = parseProduceForm(form);
      if (!parsed.ok) return parsed;
      const p = await produceMessage(ctx, topic, parsed.value);
      return { redirect: `${here}?tab=produce&produced=${p.partition}:${p.offset}#produce` };
    }
    case "partitions": {
      const result = await addPartitionsAction(ctx, topic, form.get("partitions"));
      return result.ok ? { redirect: `${here}?tab=settings&partitions=${result.value}` } : result;
    }
    case "configs": {
      const problems: string[] = [];
      const changes = parseConfigLines(String(form.get("configs") ?? ""), problems);
      const result = await changeConfigsAction(
        ctx,
        topic,
        problems.length > 0 ? { ok: false, problems } : { ok: true, value: changes },
      );
      return result.ok ? { redirect: `${here}?tab=settings&configs=1` } : result;
    }
    case "delete":
      await deleteTopicAction(ctx, topic, form.get("confirm"));
      return { redirect: `/console/topics?deleted=${encodeURIComponent(topic)}` };
    default:
      throw new HttpError(400, "unknown intent (expected produce, partitions, configs or delete)");
  }
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "topic.change" },
};

/** GET: the page; POST: one of the operator's forms. */
export const handler: Handlers<TopicPageData> = {
  async GET(_req, ctx) {
    const tab = tabOf(ctx.url);
    return ctx.render(
      await pageData(ctx, tab, { values: {}, problems: [] }, noticeOf(ctx.url)),
    );
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const intent = String(form.get("intent") ?? "");
    let problems: string[];
    let status = 400;
    try {
      const outcome = await act(ctx, form);
      if ("redirect" in outcome) {
        return new Response(null, { status: 303, headers: { location: outcome.redirect } });
      }
      problems = outcome.problems;
    } catch (error) {
      const failed = formProblem(error, `${intent} on ${ctx.params.topic}`);
      problems = [failed.problem];
      status = failed.status;
    }
    const values = formValues(form);
    return ctx.render(
      await pageData(ctx, tabOf(ctx.url, intent), { intent, values, problems }),
      { status },
    );
  },
};

/** The page. */
export default function Topic({ data, url, state }: PageProps<TopicPageData>) {
  const { topic, tab } = data;
  const operator = state.user?.role === "operator";
  const here = `/console/topics/${encodeURIComponent(topic.name)}`;
  const internalNote = (
    <p class="notice" role="note">
      {topic.name}{" "}
      is an internal topic of Kafka: the console never deletes it, produces to it, adds partitions
      to it or changes its configs.
    </p>
  );
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break topic-title">
        <span class="muted">Topic</span> {topic.name}
      </h1>
      <TopicTabs
        topic={topic.name}
        current={tab}
        canProduce={operator && !data.internal}
        counts={{ consumers: topic.groups.length }}
      />
      {tab !== "produce" && data.notice && <p class="notice" role="status">{data.notice}</p>}
      {tab === "overview" && data.internal && internalNote}
      {tab === "overview" && !data.internal && (
        <p class="topic-actions">
          <a href={`/console/topics/${encodeURIComponent(topic.name)}/purge`}>Purge records</a>
          {operator && (
            <>
              {" · "}
              <a href={`/console/topics/${encodeURIComponent(topic.name)}/replay`}>
                Replay records
              </a>
            </>
          )}
        </p>
      )}
      {tab === "overview" && <Overview data={data} />}
      {tab === "consumers" && (
        <section aria-label="Consumer groups">
          <GroupTable topic={topic} />
        </section>
      )}
      {tab === "settings" && (
        <>
          <section aria-labelledby="configs-title">
            <h2 id="configs-title">Configs</h2>
            <ConfigTable
              topic={topic}
              changedOnly={url.searchParams.get("configs") === "changed"}
              href={(changed) => `${here}?tab=settings${changed ? "&configs=changed" : ""}`}
            />
          </section>
          {operator && (data.internal
            ? internalNote
            : <TopicForms topic={topic} state={state} form={data.form} />)}
        </>
      )}
      {tab === "produce" && (operator && !data.internal
        ? <ProduceForm topic={topic} state={state} form={data.form} notice={data.notice} />
        : data.internal
        ? internalNote
        : <p class="muted">Only an operator may produce to a topic.</p>)}
    </main>
  );
}

function Overview({ data }: { data: TopicPageData }) {
  const { topic, traffic } = data;
  return (
    <>
      <ul class="facts-inline">
        <li>
          <strong>{topic.partitions.length}</strong> partition(s)
        </li>
        <li>
          <strong>{topic.replicationFactor}</strong> replication factor
        </li>
        <li>
          <strong>{count(topic.messages)}</strong> message(s) (≈, end − start offsets)
        </li>
        <li>
          <strong>{data.sizeBytes == null ? "—" : formatBytes(data.sizeBytes)}</strong>{" "}
          on disk (every replica)
        </li>
        <li>
          <strong>{traffic ? `${Math.round(traffic.rate * 100) / 100}/s` : "—"}</strong> now
        </li>
      </ul>
      <section aria-labelledby="throughput-title">
        <h2 id="throughput-title">Messages per second, last hour</h2>
        {traffic
          ? <ThroughputSvg series={traffic.series} label={`Messages per second of ${topic.name}`} />
          : <p class="muted">The monitor has not counted this topic.</p>}
      </section>
      <section aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partitions</h2>
        <PartitionTable topic={topic} />
      </section>
      <section aria-labelledby="declared-title">
        <h2 id="declared-title">kafka-topics.txt</h2>
        {topic.declaration
          ? (
            <p>
              Declared: <code>{topic.declaration}</code>
            </p>
          )
          : <p class="muted">Not declared in kafka-topics.txt.</p>}
        {topic.drift.length > 0 && (
          <ul class="drift warn">
            {topic.drift.map((d) => <li key={d}>{d}</li>)}
          </ul>
        )}
      </section>
    </>
  );
}
