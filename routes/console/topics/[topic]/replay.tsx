/**
 * `/console/topics/:topic/replay` (operator): copy a range of the topic to
 * another one. The form's GET is a dry run (a count and a sample, changing
 * nothing); the operator then starts the replay (POST) and is sent to its
 * progress, `/console/replays/:id`. The topic's replays are listed below.
 */
import { Handlers, PageProps, RouteAccess, RouteContext } from "../../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../../services/console/web/console_nav.tsx";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import { checkTopic } from "../../../../services/console/messages/web/read_page.ts";
import { consoleHttpError, formProblem } from "../../../../services/console/kafka_http_error.ts";
import { parseReplay } from "../../../../services/console/replay/replay_input.ts";
import type { DryRun } from "../../../../services/console/replay/replay_plan.ts";
import type { ReplayStatus } from "../../../../services/console/replay/replay_runner.ts";
import {
  dryRunAction,
  replayList,
  startReplayAction,
} from "../../../../services/console/replay/replay_action.ts";
import {
  DryRunView,
  REPLAY_FIELDS,
  ReplayForm,
  ReplayList,
  replayPath,
} from "../../../../services/console/replay/web/replay_forms.tsx";
import { readForm } from "../../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Replay · Console · Freshet";

/** What the page shows. */
export interface ReplayPageData {
  topic: string;
  partitions: number[];
  values: Record<string, string>;
  problems: string[];
  dry?: DryRun;
  startProblems: string[];
  replays: ReplayStatus[];
}

async function load(
  ctx: RouteContext<ReplayPageData>,
  values: Record<string, string>,
): Promise<ReplayPageData> {
  const topic = topicParam(ctx.params);
  const partitions = await checkTopic(ctx.services, topic);
  const data: ReplayPageData = {
    topic,
    partitions,
    values,
    problems: [],
    startProblems: [],
    replays: replayList(ctx, topic),
  };
  if (values.dryRun) {
    const parsed = parseReplay(values);
    if (!parsed.ok) data.problems = parsed.problems;
    else {
      try {
        data.dry = await dryRunAction(ctx, topic, parsed.value);
      } catch (error) {
        // The page is an operator's: a refusal here is the replay's (itself, internal, no target).
        data.problems = [consoleHttpError(error, `replaying ${topic}`).message];
      }
    }
  }
  return data;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "operator",
  POST: { role: "operator", audit: "topic.replay" },
};

/** GET: the form and a dry run; POST: the replay. */
export const handler: Handlers<ReplayPageData> = {
  async GET(_req, ctx) {
    const data = await load(ctx, Object.fromEntries(ctx.url.searchParams));
    return ctx.render(data, { status: data.problems.length > 0 ? 400 : 200 });
  },
  async POST(req, ctx) {
    const topic = topicParam(ctx.params);
    const form = await readForm(req);
    const values: Record<string, string> = {};
    for (const name of REPLAY_FIELDS) {
      const value = form.get(name);
      if (typeof value === "string" && value !== "") values[name] = value;
    }
    const parsed = parseReplay(values);
    if (!parsed.ok) return ctx.render(await load(ctx, values), { status: 400 });
    let problem: string;
    let status: number;
    try {
      const replay = await startReplayAction(ctx, topic, { ...parsed.value, dryRun: false });
      return new Response(null, { status: 303, headers: { location: replayPath(replay.id) } });
    } catch (error) {
      ({ problem, status } = formProblem(error, `replaying ${topic}`));
    }
    const data = await load(ctx, { ...values, dryRun: "1" });
    return ctx.render({ ...data, startProblems: [problem] }, { status });
  },
};

/** The page. */
export default function Replay({ data, url, state }: PageProps<ReplayPageData>) {
  const topicPath = `/console/topics/${encodeURIComponent(data.topic)}`;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        Replay records of <a href={topicPath}>{data.topic}</a>
      </h1>
      <p class="muted">
        A replay copies the records of a range — every one, or those matching the filters — to
        another topic, in the background at the rate given: key, value and headers as they are, plus
        {" "}
        <code>freshet_replay_of</code>{" "}
        (where each came from); the target's partitioner places them by key. Each batch is recorded
        before it is sent, so a record is copied at most once, even across a cancel and a resume.
      </p>
      <ReplayForm
        topic={data.topic}
        partitions={data.partitions}
        values={data.values}
        problems={data.problems}
      />
      {data.dry && (
        <DryRunView
          dry={data.dry}
          values={data.values}
          state={state}
          problems={data.startProblems}
        />
      )}
      <ReplayList replays={data.replays} />
    </main>
  );
}
