/**
 * `GET /api/groups/:group?range=1h`: one group's latest sample (members,
 * per-partition committed and end offsets, lag, lag in time, status), the
 * time to clear its lag, and its lag series over the range.
 */
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";
import { groupDetail } from "../../../services/monitor/web/group_queries.ts";
import { monitorReader } from "../../../services/monitor/web/monitor_reader.ts";
import { rangeParam } from "../../../services/monitor/web/range_param.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the group, or 404. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const range = rangeParam(ctx.url, "1h");
    const { db, settings } = monitorReader(ctx.services);
    const detail = groupDetail(db, settings, ctx.params.group, range);
    if (!detail) throw new HttpError(404, "no such consumer group (or not sampled yet)");
    return Response.json(detail, { headers: { "cache-control": "no-store" } });
  },
};
