/**
 * `POST /api/dlq/:topic/redrive` (operator, audited) — sends dead letters
 * of `:topic` (a `.dlq`) back to the topic they came from. Body:
 * `{"messages": [{"partition": 0, "offset": 12}]}` for one or a selection,
 * or `{"all": true, "value": "…", …}` for every dead letter matching the
 * browser's filters; `"repeat": true` sends again those redriven before.
 * Answers `{topic, redriven, skipped, failed, scanned?, until?}`. With
 * `"dryRun": true` nothing is sent: the answer is the plan, `{topic, count,
 * targets: [{topic, count}], skipped, scanned?, until?}`; give its `until`
 * back with `all` to redrive exactly what it counted.
 */
import {
  planRedriveAction,
  redriveAction,
  redriveTopicParam,
} from "../../../../services/console/dlq/web/redrive_action.ts";
import { parseRedriveInput } from "../../../../services/console/dlq/web/redrive_input.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import { requireOperator } from "../../../../services/console/audited.ts";
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "dlq.redrive" } };

/** POST: redrive. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const named = topicParam(ctx.params);
    requireOperator(ctx, "dlq.redrive", `topic:${named}`);
    const topic = await redriveTopicParam(ctx, named);
    const body = await readJsonBody(req);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return problemsResponse("nothing was redriven", ["expected a JSON object"]);
    }
    const input = parseRedriveInput(body as Record<string, unknown>);
    if (!input.ok) return problemsResponse("nothing was redriven", input.problems);
    if (input.value.dryRun) return Response.json(await planRedriveAction(ctx, topic, input.value));
    return Response.json(await redriveAction(ctx, topic, input.value));
  },
};
