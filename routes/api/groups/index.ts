/** `GET /api/groups`: every consumer group of the cluster as the monitor last sampled it. */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { listGroups } from "../../../services/monitor/web/group_queries.ts";
import { monitorReader } from "../../../services/monitor/web/monitor_reader.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the groups, worst status first. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const { db, settings } = monitorReader(ctx.services);
    return Response.json({ groups: listGroups(db, settings) }, {
      headers: { "cache-control": "no-store" },
    });
  },
};
