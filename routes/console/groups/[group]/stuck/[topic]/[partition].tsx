/**
 * `/console/groups/:group/stuck/:topic/:partition`: where a group is on one
 * partition — the record at its offset (with its permalink), that
 * record's dead letters (redriven or not), and the operator's actions:
 * redrive a dead letter, copy the record to `<topic>.dlq` and skip it (a
 * Kafka group: an offset commit, the group must be empty; a Freshet
 * consumer: its stored offset, the consumer must be stopped), or open the
 * browser and live tail there. Linked from the group pages for every
 * partition not OK.
 */
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
  type RouteContext,
} from "../../../../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../../../../services/console/web/console_nav.tsx";
import { topicParam } from "../../../../../../services/console/messages/web/topic_param.ts";
import { MessageCard } from "../../../../../../services/console/messages/web/message_list.tsx";
import {
  consoleHttpError,
  formProblem,
} from "../../../../../../services/console/kafka_http_error.ts";
import { redriveAction } from "../../../../../../services/console/dlq/web/redrive_action.ts";
import { skipAction } from "../../../../../../services/console/stuck/skip.ts";
import {
  type StuckRecord,
  stuckRecord,
} from "../../../../../../services/console/stuck/stuck_record.ts";
import {
  HistorySection,
  SkipSection,
} from "../../../../../../services/console/stuck/web/stuck_sections.tsx";
import { readForm } from "../../../../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Stuck record · Console · Freshet";

/** What the page shows. */
export interface StuckPageData {
  group: string;
  topic: string;
  partition: number;
  stuck: StuckRecord;
  notice?: string;
  problems: string[];
}

function params(ctx: RouteContext<StuckPageData>) {
  const topic = topicParam(ctx.params);
  if (!/^\d{1,9}$/.test(ctx.params.partition ?? "")) {
    throw new HttpError(404, "a partition is a number");
  }
  return { group: ctx.params.group, topic, partition: Number(ctx.params.partition) };
}

async function load(ctx: RouteContext<StuckPageData>, extra: Partial<StuckPageData> = {}) {
  const { group, topic, partition } = params(ctx);
  const stuck = await stuckRecord(ctx, group, topic, partition).catch((e) => {
    throw consoleHttpError(e, `reading ${group} on ${topic}/${partition}`);
  });
  return { group, topic, partition, stuck, problems: [], ...extra };
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "group.skip" },
};

/** GET: the page; POST: skip, or redrive a dead letter. */
export const handler: Handlers<StuckPageData> = {
  async GET(_req, ctx) {
    const q = ctx.url.searchParams;
    const notice = q.has("skipped")
      ? `Skipped: the record is on ${q.get("skipped")}; the group goes on at the next offset.`
      : q.has("redriven")
      ? `Redriven: ${q.get("redriven")}.`
      : undefined;
    return ctx.render(await load(ctx, { notice }));
  },
  async POST(req, ctx) {
    const { group, topic, partition } = params(ctx);
    const form = await readForm(req);
    const here = `/console/groups/${encodeURIComponent(group)}/stuck/${
      encodeURIComponent(topic)
    }/${partition}`;
    try {
      const intent = form.get("intent");
      if (intent === "skip") {
        const offset = Number(form.get("offset"));
        if (!Number.isSafeInteger(offset) || offset < 0) {
          throw new HttpError(400, "offset: a number");
        }
        const done = await skipAction(ctx, group, { topic, partition, offset });
        const at =
          `${done.deadLetter.topic} ${done.deadLetter.partition}:${done.deadLetter.offset}`;
        return new Response(null, {
          status: 303,
          headers: { location: `${here}?skipped=${encodeURIComponent(at)}` },
        });
      }
      if (intent === "redrive") {
        const dlqTopic = String(form.get("dlqTopic") ?? "");
        const m = /^(\d{1,9}):(\d{1,15})$/.exec(String(form.get("letter") ?? ""));
        if (!m) throw new HttpError(400, "letter: partition:offset");
        const result = await redriveAction(ctx, dlqTopic, {
          messages: [{ partition: Number(m[1]), offset: Number(m[2]) }],
          repeat: false,
        });
        const said = result.redriven.length > 0
          ? `${dlqTopic} ${m[0]} → ${result.redriven[0].to.topic} ${
            result.redriven[0].to.partition
          }:${result.redriven[0].to.offset}`
          : `${dlqTopic} ${m[0]} not sent: ${
            [...result.skipped.map((s) => s.reason), ...result.failed.map((f) => f.error)].join(
              "; ",
            )
          }`;
        return new Response(null, {
          status: 303,
          headers: { location: `${here}?redriven=${encodeURIComponent(said)}` },
        });
      }
      throw new HttpError(400, "unknown intent (expected skip or redrive)");
    } catch (error) {
      const failed = formProblem(error, `acting on ${group} at ${topic}/${partition}`);
      return ctx.render(await load(ctx, { problems: [failed.problem] }), {
        status: failed.status,
      });
    }
  },
};

/** The page. */
export default function Stuck({ data, url, state }: PageProps<StuckPageData>) {
  const { stuck, group, topic, partition } = data;
  const operator = state.user?.role === "operator";
  const enc = encodeURIComponent;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        <a href={`/console/groups/${enc(group)}`}>{group}</a> on <code>{topic}</code> partition{" "}
        {partition}
      </h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.problems.length > 0 && (
        <div class="problems" role="alert">
          <ul>{data.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      <p data-field="position">
        {stuck.monitor
          ? (
            <>
              The monitor saw it{" "}
              <span class={`status status-${stuck.monitor.status}`}>{stuck.monitor.status}</span>,
              {" "}
              {stuck.monitor.lag} behind.{" "}
            </>
          )
          : "The monitor last saw this partition OK (or has not sampled it). "}
        {stuck.plan.kind === "freshet"
          ? `Freshet's ${stuck.plan.consumer} consumer stores its offset in its SQLite: `
          : "The group's committed offset: "}
        <strong data-field="offset">{stuck.plan.offset ?? "none"}</strong> (end {stuck.plan.end}).
        {" "}
        {stuck.links.record && <a href={stuck.links.record}>Permalink of the record</a>}
        {" · "}
        <a href={stuck.links.browse}>Browse and live-tail from here</a>
        {" · "}
        <a href={`/groups/${enc(group)}`}>lag charts</a>
      </p>
      {stuck.message
        ? <MessageCard message={stuck.message} />
        : <p class="muted">No record at the group's offset (it is at the end, or has none).</p>}
      <HistorySection history={stuck.history} state={state} operator={operator} />
      <SkipSection plan={stuck.plan} state={state} operator={operator} />
    </main>
  );
}
