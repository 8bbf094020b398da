/**
 * `/console/topics/:topic/purge`: delete records before an offset, before
 * a time, or all of them, in one partition or every one. The query
 * previews (the count per partition and in all, changing nothing); an
 * operator then confirms by typing the topic's name (POST), and is sent
 * back here with what was deleted. Kafka's internal topics are refused.
 */
import { Handlers, PageProps, RouteAccess, RouteContext } from "../../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../../services/console/web/console_nav.tsx";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import { checkTopic } from "../../../../services/console/messages/web/read_page.ts";
import { isInternalTopic } from "../../../../services/console/topics/internal_topics.ts";
import { formProblem } from "../../../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../../../services/console/web/console_part.ts";
import { parsePurge } from "../../../../services/console/purge/purge_input.ts";
import type { PurgePlan } from "../../../../services/console/purge/purge.ts";
import { previewPurge, purgeAction } from "../../../../services/console/purge/purge_action.ts";
import {
  PurgePlanView,
  PurgePreviewForm,
} from "../../../../services/console/purge/web/purge_forms.tsx";
import { formValues, readForm } from "../../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Purge · Console · Freshet";

/** What the page shows. */
export interface PurgePageData {
  topic: string;
  partitions: number[];
  internal: boolean;
  values: Record<string, string>;
  problems: string[];
  plan?: PurgePlan;
  confirmProblems: string[];
  notice?: string;
}

async function load(
  ctx: RouteContext<PurgePageData>,
  values: Record<string, string>,
): Promise<PurgePageData> {
  const topic = topicParam(ctx.params);
  const partitions = await checkTopic(ctx.services, topic);
  const internal = await isInternalTopic(ctx.services.part(consoleWeb).kafka, topic);
  const data: PurgePageData = {
    topic,
    partitions,
    internal,
    values,
    problems: [],
    confirmProblems: [],
  };
  if (values.before && !internal) {
    const parsed = parsePurge(values);
    if (!parsed.ok) data.problems = parsed.problems;
    else data.plan = await previewPurge(ctx, topic, parsed.value);
  }
  const purged = ctx.url.searchParams.get("purged");
  if (purged !== null) data.notice = `${purged} record(s) purged.`;
  return data;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "topic.purge" },
};

/** GET: the form and a preview; POST: the confirmed purge. */
export const handler: Handlers<PurgePageData> = {
  async GET(_req, ctx) {
    const values = Object.fromEntries(ctx.url.searchParams);
    delete values.purged;
    const data = await load(ctx, values);
    return ctx.render(data, { status: data.problems.length > 0 ? 400 : 200 });
  },
  async POST(req, ctx) {
    const topic = topicParam(ctx.params);
    const form = await readForm(req);
    const values = formValues(form);
    const parsed = parsePurge(values);
    if (!parsed.ok) return ctx.render({ ...await load(ctx, values) }, { status: 400 });
    let problem: string;
    let status: number;
    try {
      const result = await purgeAction(ctx, topic, parsed.value, values.confirm);
      const location = `/console/topics/${
        encodeURIComponent(topic)
      }/purge?purged=${result.deleted}`;
      return new Response(null, { status: 303, headers: { location } });
    } catch (error) {
      ({ problem, status } = formProblem(error, `purging ${topic}`));
    }
    const { confirm: _confirm, ...kept } = values;
    return ctx.render({ ...await load(ctx, kept), confirmProblems: [problem] }, { status });
  },
};

/** The page. */
export default function Purge({ data, url, state }: PageProps<PurgePageData>) {
  const operator = state.user?.role === "operator";
  const topicPath = `/console/topics/${encodeURIComponent(data.topic)}`;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        Purge records of <a href={topicPath}>{data.topic}</a>
      </h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.internal
        ? (
          <p class="notice" role="note">
            {data.topic} is an internal topic of Kafka: the console never purges it.
          </p>
        )
        : (
          <>
            <p class="muted">
              Deleting records moves each partition's start offset up (Kafka's DeleteRecords): every
              reader loses them, for good. Consumers whose committed offset falls below the new
              start resume at their reset policy.
            </p>
            <PurgePreviewForm
              topic={data.topic}
              partitions={data.partitions}
              values={data.values}
              problems={data.problems}
            />
            {data.plan && (
              <PurgePlanView
                plan={data.plan}
                state={state}
                operator={operator}
                problems={data.confirmProblems}
              />
            )}
          </>
        )}
    </main>
  );
}
