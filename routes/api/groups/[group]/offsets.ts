/**
 * `POST /api/groups/:group/offsets`
 * `{topic, partition?, to: earliest|latest|timestamp|offset|shift, timestamp?, offset?, by?, dryRun?}`:
 * resets the group's offsets on one topic (or one partition), or with
 * `dryRun: true` only previews them; answers every partition's
 * `from → to` (operator, audited). 409 while the group has members, and
 * for Freshet's own consumers (their offsets live in SQLite).
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { parseReset } from "../../../../services/console/groups/reset_input.ts";
import { resetOffsetsAction } from "../../../../services/console/groups/group_actions.ts";
import { requireOperator } from "../../../../services/console/audited.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "group.offsets.reset" } };

/** POST: reset or preview. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const groupId = ctx.params.group;
    requireOperator(ctx, "group.offsets.reset", `group:${groupId}`);
    const body = await readJsonBody(req);
    const parsed = parseReset((body ?? {}) as Record<string, unknown>);
    if (!parsed.ok) return problemsResponse("no offset was reset", parsed.problems);
    const outcome = await resetOffsetsAction(ctx, groupId, parsed.value).catch((e) => {
      throw consoleHttpError(e, `resetting the offsets of ${groupId}`);
    });
    return Response.json(outcome);
  },
};
