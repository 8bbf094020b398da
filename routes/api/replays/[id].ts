/**
 * `GET /api/replays/:id`: a replay's state (`running`, `cancelling`,
 * `cancelled`, `done`, `failed`, `interrupted`), its ranges and where it
 * stands in each, what it sent, and its progress (operator).
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { replayStatus } from "../../../services/console/replay/replay_action.ts";
import { replayIdParam } from "../../../services/console/replay/web/replay_id.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "operator" };

/** GET: the status. */
export const handler: Handlers = {
  GET(_req, ctx) {
    return Response.json(replayStatus(ctx, replayIdParam(ctx.params)), {
      headers: { "cache-control": "no-store" },
    });
  },
};
