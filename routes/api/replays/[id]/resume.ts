/**
 * `POST /api/replays/:id/resume` (operator, audited as `replay.resume`):
 * runs a cancelled, failed or interrupted replay on from where it stands
 * (a claim never settled is skipped, never sent twice). 409 when it runs
 * or is done.
 */
import type { Handlers, RouteAccess } from "../../../../shared/web/mod.ts";
import { resumeReplayAction } from "../../../../services/console/replay/replay_action.ts";
import { replayIdParam } from "../../../../services/console/replay/web/replay_id.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "replay.resume" } };

/** POST: resume. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    return Response.json(await resumeReplayAction(ctx, replayIdParam(ctx.params)), {
      status: 202,
    });
  },
};
