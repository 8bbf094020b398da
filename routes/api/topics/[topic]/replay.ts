/**
 * `POST /api/topics/:topic/replay` (operator, audited as `topic.replay`):
 * copies a range of `:topic` — by offsets, by time, with the message
 * browser's filters — to another topic, in the background at a rate
 * (services/console/replay/replay_input.ts names the fields). With
 * `"dryRun": true` it answers what would be copied (a count and a sample)
 * and changes nothing; otherwise 202 with the replay's status, followed at
 * `/api/replays/:id`. See docs/operate.md.
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import { parseReplay } from "../../../../services/console/replay/replay_input.ts";
import {
  dryRunAction,
  startReplayAction,
} from "../../../../services/console/replay/replay_action.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "topic.replay" } };

/** POST: a dry run, or the replay. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const topic = topicParam(ctx.params);
    const raw = await readJsonBody(req);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      return problemsResponse("nothing was replayed", ["expected a JSON object"]);
    }
    const parsed = parseReplay(raw as Record<string, unknown>);
    if (!parsed.ok) return problemsResponse("nothing was replayed", parsed.problems);
    if (parsed.value.dryRun) return Response.json(await dryRunAction(ctx, topic, parsed.value));
    return Response.json(await startReplayAction(ctx, topic, parsed.value), { status: 202 });
  },
};
