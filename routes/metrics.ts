/** `GET /metrics`: Prometheus text exposition of consumers, HTTP requests and uptime. */
import {
  formatMetrics,
  type Handlers,
  metricFamilies,
  PROMETHEUS_CONTENT_TYPE,
} from "../shared/web/mod.ts";

/** GET: every metric family, freshly computed (no broker call: scrapes stay cheap). */
export const handler: Handlers = {
  GET(_req, ctx) {
    const { statuses, httpMetrics, staleAfterMs } = ctx.services;
    const text = formatMetrics(metricFamilies({
      consumers: statuses.list(),
      http: httpMetrics.samples(),
      now: Date.now(),
      staleAfterMs,
      uptimeSeconds: performance.now() / 1000,
    }));
    return new Response(text, {
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  },
};
