/**
 * `/console/replays/:id` (operator): a replay's progress — its state, what
 * it sent, where it stands in each partition — with Cancel while it runs
 * and Resume once it stopped (POST, audited as `replay.cancel` /
 * `replay.resume`).
 */
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
} from "../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import {
  cancelReplayAction,
  replayStatus,
  resumeReplayAction,
} from "../../../services/console/replay/replay_action.ts";
import type { ReplayStatus } from "../../../services/console/replay/replay_runner.ts";
import { replayIdParam } from "../../../services/console/replay/web/replay_id.ts";
import {
  replayPath,
  ReplayStatusView,
} from "../../../services/console/replay/web/replay_forms.tsx";
import { readForm } from "../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Replay · Console · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "operator",
  POST: { role: "operator", audit: "replay.control" },
};

/** GET: the progress; POST: `intent=cancel|resume`. */
export const handler: Handlers<ReplayStatus> = {
  GET(_req, ctx) {
    return ctx.render(replayStatus(ctx, replayIdParam(ctx.params)));
  },
  async POST(req, ctx) {
    const id = replayIdParam(ctx.params);
    const form = await readForm(req);
    const intent = form.get("intent");
    if (intent === "cancel") await cancelReplayAction(ctx, id);
    else if (intent === "resume") await resumeReplayAction(ctx, id);
    else throw new HttpError(400, "intent must be cancel or resume");
    return new Response(null, { status: 303, headers: { location: replayPath(id) } });
  },
};

/** The page. */
export default function Replay({ data, url, state }: PageProps<ReplayStatus>) {
  const topicPath = `/console/topics/${encodeURIComponent(data.source)}`;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        Replay of <a href={topicPath}>{data.source}</a> to{" "}
        <a href={`/console/topics/${encodeURIComponent(data.target)}`}>{data.target}</a>
      </h1>
      <ReplayStatusView replay={data} state={state} />
      <p>
        <a href={`${topicPath}/replay`}>Another replay of {data.source}</a>
      </p>
    </main>
  );
}
