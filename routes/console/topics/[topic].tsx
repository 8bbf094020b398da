/**
 * `/console/topics/:topic`: the topic's partitions (leader, replicas, ISR,
 * start and end offsets), the groups reading it with their lag, its
 * configs (overrides marked), its kafka-topics.txt declaration and drift;
 * for operators, forms to produce, add partitions, change configs and
 * delete. Every form posts here with an `intent`; success redirects back
 * (303) with what happened, a refusal shows the page again with the reason.
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
import { type FormState, TopicForms } from "../../../services/console/web/topic_forms.tsx";
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
import { consoleHttpError } from "../../../services/console/kafka_http_error.ts";
import { isInternalTopic } from "../../../services/console/topics/internal_topics.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";

/** The page title. */
export const title = "Topic · Console · Freshet";

/** What the page shows. */
export interface TopicPageData {
  topic: TopicDetail;
  /** Kafka's own topic (internal_topics.ts): read-only here. */
  internal: boolean;
  form: FormState;
  notice?: string;
}

async function detail(ctx: RouteContext<TopicPageData>): Promise<TopicDetail> {
  const topic = ctx.params.topic;
  const declared = await readDeclaredTopics(ctx.services.topicPrefix);
  return await ctx.services.part(consoleWeb).kafka.admin()
    .then((admin) => describeTopic(admin, topic, declared))
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
      return { redirect: `${here}?produced=${p.partition}:${p.offset}#produce` };
    }
    case "partitions": {
      const result = await addPartitionsAction(ctx, topic, form.get("partitions"));
      return result.ok ? { redirect: `${here}?partitions=${result.value}` } : result;
    }
    case "configs": {
      const problems: string[] = [];
      const changes = parseConfigLines(String(form.get("configs") ?? ""), problems);
      const result = await changeConfigsAction(
        ctx,
        topic,
        problems.length > 0 ? { ok: false, problems } : { ok: true, value: changes },
      );
      return result.ok ? { redirect: `${here}?configs=1` } : result;
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
    return ctx.render({
      topic: await detail(ctx),
      internal: await isInternalTopic(ctx.services.part(consoleWeb).kafka, ctx.params.topic),
      form: { values: {}, problems: [] },
      notice: noticeOf(ctx.url),
    });
  },
  async POST(req, ctx) {
    const form = await req.formData().catch(() => {
      throw new HttpError(400, "expected a form");
    });
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
      const httpError = consoleHttpError(error, `${intent} on ${ctx.params.topic}`);
      if ([401, 403, 404].includes(httpError.status)) throw httpError;
      problems = [httpError.message];
      status = httpError.status;
    }
    const values: Record<string, string> = {};
    for (const [name, value] of form) {
      if (typeof value === "string" && name !== "_csrf") values[name] = value;
    }
    return ctx.render(
      {
        topic: await detail(ctx),
        internal: await isInternalTopic(ctx.services.part(consoleWeb).kafka, ctx.params.topic),
        form: { intent, values, problems },
      },
      { status },
    );
  },
};

/** The page. */
export default function Topic({ data, url, state }: PageProps<TopicPageData>) {
  const { topic } = data;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">{topic.name}</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      <p>
        {topic.partitions.length} partition(s) · replication factor {topic.replicationFactor} ·{" "}
        {count(topic.messages)} message(s) (≈) ·{" "}
        <a href={`/console/topics/${encodeURIComponent(topic.name)}/messages`}>Browse messages</a>
        {!data.internal && (
          <>
            {" · "}
            <a href={`/console/topics/${encodeURIComponent(topic.name)}/purge`}>Purge records</a>
            {state.user?.role === "operator" && (
              <>
                {" · "}
                <a href={`/console/topics/${encodeURIComponent(topic.name)}/replay`}>
                  Replay records
                </a>
              </>
            )}
          </>
        )}
      </p>
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
      <section aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partitions</h2>
        <PartitionTable topic={topic} />
      </section>
      <section aria-labelledby="groups-title">
        <h2 id="groups-title">Consumer groups</h2>
        <GroupTable topic={topic} />
      </section>
      <section aria-labelledby="configs-title">
        <h2 id="configs-title">Configs</h2>
        <ConfigTable topic={topic} />
      </section>
      {state.user?.role === "operator" && (data.internal
        ? (
          <p class="notice" role="note">
            {topic.name}{" "}
            is an internal topic of Kafka: the console never deletes it, produces to it, adds
            partitions to it or changes its configs.
          </p>
        )
        : <TopicForms topic={topic} state={state} form={data.form} />)}
    </main>
  );
}
