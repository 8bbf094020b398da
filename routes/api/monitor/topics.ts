/**
 * `GET /api/monitor/topics?range=15m`: every topic's total messages and
 * bytes, current rate, and its series over the range (15m, 1h, 6h, 24h,
 * 7d), at most ~1,000 points per series.
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { monitorReader } from "../../../services/monitor/web/monitor_reader.ts";
import { rangeParam } from "../../../services/monitor/web/range_param.ts";
import { topicsReport } from "../../../services/monitor/web/traffic_queries.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the report. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const range = rangeParam(ctx.url, "15m");
    const { db, settings } = monitorReader(ctx.services);
    return Response.json(topicsReport(db, settings, range), {
      headers: { "cache-control": "no-store" },
    });
  },
};
