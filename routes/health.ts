/** `GET /health`: broker reachability and each consumer's state; 503 unless all is well. */
import { type Handlers, healthHttpStatus, healthReport } from "../shared/web/mod.ts";

/** GET: the health report, 200 when ok, 503 when degraded or down. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const { broker, statuses, staleAfterMs, outboxMaxAgeMs } = ctx.services;
    const report = healthReport(await broker.check(), statuses.list(), {
      now: Date.now(),
      staleAfterMs,
      outboxMaxAgeMs,
    });
    return Response.json(report, {
      status: healthHttpStatus(report),
      headers: { "cache-control": "no-store" },
    });
  },
};
