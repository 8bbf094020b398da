/**
 * Replays as operator actions: the operator role first; the source topic
 * checked (404); copying a topic onto itself refused (400); Kafka's
 * internal topics refused as a source or a target (403, audited, as
 * redrive refuses them); the target must exist (404: a replay never
 * creates topics). A dry run counts and samples (changes nothing); a
 * start plans the ranges, records the replay and runs it in the
 * background — audited as `topic.replay` when it starts and `replay.end`
 * when a run ends; cancel and resume are audited as `replay.cancel` and
 * `replay.resume`.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { audit, consoleDb } from "../../../shared/web/auth/mod.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { consoleHttpError } from "../kafka_http_error.ts";
import { asHttpError, explainReadErrors } from "../messages/web/read_errors.ts";
import { checkTopic } from "../messages/web/read_page.ts";
import { refuseInternalTopic } from "../topics/internal_topics.ts";
import { assertTopicExists } from "../topics/topic_detail.ts";
import { consoleWeb } from "../web/console_part.ts";
import type { ReplayRequest } from "./replay_input.ts";
import { type DryRun, dryRunReplay, planReplay, type ReplayRange } from "./replay_plan.ts";
import type { ReplayStatus } from "./replay_runner.ts";
import type { RunEnd } from "./replay_run.ts";
import {
  createReplay,
  getReplay,
  listReplays,
  setReplayState,
  type StoredReplay,
} from "./replay_store.ts";

/** Checks `source` → `request.target` (see the module's comment). */
async function checkTopics(ctx: ActionContext, source: string, target: string): Promise<void> {
  await checkTopic(ctx.services, source);
  if (target === source) {
    throw new HttpError(
      400,
      `a replay copies records to another topic: ${source} onto itself is refused (its copies ` +
        "would be read again by the replay's own range and by every consumer twice)",
    );
  }
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  await assertTopicExists(admin, target).catch((error) => {
    if (error instanceof HttpError && error.status === 404) {
      throw new HttpError(
        404,
        `no target topic ${target} on the broker (a replay never creates one)`,
      );
    }
    throw consoleHttpError(error, `replaying ${source} to ${target}`);
  });
  await refuseInternalTopic(ctx, source, "topic.replay");
  await refuseInternalTopic(ctx, target, "topic.replay");
}

async function plan(ctx: ActionContext, source: string, request: ReplayRequest) {
  return await explainReadErrors(() =>
    planReplay(ctx.services.part(consoleWeb).messages.pages(), source, request)
  );
}

/** What replaying `request` from `source` would copy (operator; changes nothing). */
export async function dryRunAction(
  ctx: ActionContext,
  source: string,
  request: ReplayRequest,
): Promise<DryRun & { source: string; target: string }> {
  requireOperator(ctx, "topic.replay", `topic:${source}`);
  await checkTopics(ctx, source, request.target);
  const ranges = await plan(ctx, source, request);
  const own = ctx.services.part(consoleWeb).messages.open("action", source, ctx.state.user);
  try {
    const dry = await explainReadErrors(() => dryRunReplay(own.client, source, request, ranges));
    return { source, target: request.target, ...dry };
  } finally {
    await own.close();
  }
}

function describe(ranges: ReplayRange[]): string[] {
  return ranges.map((r) => `${r.partition}:${r.from}-${r.until}`);
}

/** Audits how a run ended (after the request that started it has been answered). */
function auditEnd(ctx: ActionContext, end: RunEnd, replay: StoredReplay): void {
  audit(ctx, {
    action: "replay.end",
    target: `topic:${replay.source}`,
    result: end.stop === "failed" ? "error" : "ok",
    detail: {
      id: replay.id,
      to: replay.target,
      stop: end.stop,
      sent: replay.sent,
      scanned: replay.scanned,
      unknown: replay.unknown,
      ...(end.stop === "failed" ? { error: end.error } : {}),
    },
  });
}

function runner(ctx: ActionContext) {
  return ctx.services.part(consoleWeb).replays;
}

/** Starts replaying `request` from `source` in the background; its status. */
export async function startReplayAction(
  ctx: ActionContext,
  source: string,
  request: ReplayRequest,
): Promise<ReplayStatus> {
  requireOperator(ctx, "topic.replay", `topic:${source}`);
  await checkTopics(ctx, source, request.target);
  const db = consoleDb(ctx.services);
  return await audited(ctx, {
    action: "topic.replay",
    target: `topic:${source}`,
    params: {
      to: request.target,
      partition: request.partition ?? "all",
      from: request.from,
      until: request.until,
      filter: request.filter,
      ratePerSec: request.ratePerSec,
    },
    what: `replaying ${source} to ${request.target}`,
  }, async () => {
    const ranges = await plan(ctx, source, request);
    const id = createReplay(db, {
      source,
      target: request.target,
      request: { ...request, dryRun: false },
      user: ctx.state.user?.name ?? null,
      ranges,
    });
    try {
      runner(ctx).start(db, id, ctx.state.user, (end, replay) => auditEnd(ctx, end, replay));
    } catch (error) {
      // No slot free (a 429 naming the holders): the replay is recorded, resumable later.
      setReplayState(db, id, "failed", (error as Error)?.message ?? String(error));
      throw asHttpError(error);
    }
    return { id, ranges: describe(ranges) };
  }).then(({ id }) => replayStatus(ctx, id));
}

/** Replay `id` as users see it (operator); 404 when there is none. */
export function replayStatus(ctx: ActionContext, id: number): ReplayStatus {
  requireOperator(ctx, "replay.read", `replay:${id}`);
  const replay = getReplay(consoleDb(ctx.services), id);
  if (!replay) throw new HttpError(404, `no replay ${id}`);
  return runner(ctx).status(replay);
}

/** The newest replays (of `source` when given), as users see them (operator). */
export function replayList(ctx: ActionContext, source?: string): ReplayStatus[] {
  requireOperator(ctx, "replay.read", "replays");
  return listReplays(consoleDb(ctx.services), { source }).map((r) => runner(ctx).status(r));
}

/** Cancels replay `id` (its batch under way finishes); 409 unless it runs. */
export async function cancelReplayAction(ctx: ActionContext, id: number): Promise<ReplayStatus> {
  const before = replayStatus(ctx, id);
  const target = `topic:${before.source}`;
  return await audited(ctx, {
    action: "replay.cancel",
    target,
    params: { id },
    what: `cancelling replay ${id}`,
  }, async () => {
    if (!(await runner(ctx).cancel(id))) {
      throw new HttpError(409, `replay ${id} is not running (it is ${before.state})`);
    }
    return { sent: getReplay(consoleDb(ctx.services), id)!.sent };
  }).then(() => replayStatus(ctx, id));
}

/** Resumes replay `id` from where it stands; 409 when it runs or is done. */
export async function resumeReplayAction(ctx: ActionContext, id: number): Promise<ReplayStatus> {
  const before = replayStatus(ctx, id);
  return await audited(ctx, {
    action: "replay.resume",
    target: `topic:${before.source}`,
    params: { id },
    what: `resuming replay ${id}`,
  }, async () => {
    if (["running", "cancelling", "done"].includes(before.state)) {
      throw new HttpError(409, `replay ${id} is ${before.state}: only a stopped one resumes`);
    }
    await checkTopics(ctx, before.source, before.target);
    const db = consoleDb(ctx.services);
    try {
      runner(ctx).start(db, id, ctx.state.user, (end, replay) => auditEnd(ctx, end, replay));
    } catch (error) {
      throw asHttpError(error);
    }
    return { sent: before.sent };
  }).then(() => replayStatus(ctx, id));
}
