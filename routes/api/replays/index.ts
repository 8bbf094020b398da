/**
 * `GET /api/replays?topic=`: the newest replays (of one source topic when
 * given), each with its state and progress (operator). See docs/operate.md.
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { replayList } from "../../../services/console/replay/replay_action.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "operator" };

/** GET: the list. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const topic = ctx.url.searchParams.get("topic") || undefined;
    return Response.json({ replays: replayList(ctx, topic) }, {
      headers: { "cache-control": "no-store" },
    });
  },
};
