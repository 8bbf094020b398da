/**
 * `GET /health`: broker reachability, each consumer's state, and its group
 * as the monitor sees it; 503 unless all is well.
 */
import {
  type Handlers,
  healthHttpStatus,
  healthReport,
  type RouteAccess,
} from "../shared/web/mod.ts";
import { consumerGroupHealth } from "../services/monitor/web/group_health.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "public";

/** GET: the health report, 200 when ok, 503 when degraded or down. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const { broker, statuses, staleAfterMs, outboxMaxAgeMs } = ctx.services;
    const records = statuses.list();
    const now = Date.now();
    const report = healthReport(await broker.check(), records, {
      now,
      staleAfterMs,
      outboxMaxAgeMs,
      groups: consumerGroupHealth(ctx.services, records.map((r) => r.status.groupId), now),
    });
    return Response.json(report, {
      status: healthHttpStatus(report),
      headers: { "cache-control": "no-store" },
    });
  },
};
