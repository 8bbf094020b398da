/**
 * `POST /api/replays/:id/cancel` (operator, audited as `replay.cancel`):
 * stops a running replay after its batch under way; it may be resumed.
 * 409 when it is not running.
 */
import type { Handlers, RouteAccess } from "../../../../shared/web/mod.ts";
import { cancelReplayAction } from "../../../../services/console/replay/replay_action.ts";
import { replayIdParam } from "../../../../services/console/replay/web/replay_id.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "replay.cancel" } };

/** POST: cancel. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    return Response.json(await cancelReplayAction(ctx, replayIdParam(ctx.params)));
  },
};
