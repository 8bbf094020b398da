/**
 * `GET /metrics`: Prometheus text exposition of consumers, HTTP requests,
 * uptime, the process's CPU time and memory, and every consumer group's lag as the monitor last sampled it.
 */
import {
  formatMetrics,
  type Handlers,
  metricFamilies,
  PROMETHEUS_CONTENT_TYPE,
  type RouteAccess,
} from "../shared/web/mod.ts";
import process from "node:process";
import { groupLagFamilies } from "../services/monitor/web/metrics.ts";
import { monitorDb } from "../services/monitor/web/monitor_reader.ts";

/** CPU time (getrusage: the whole process) and resident set. */
function processUsage(): { cpuSeconds: number; residentBytes: number } {
  const { user, system } = process.cpuUsage();
  return { cpuSeconds: (user + system) / 1e6, residentBytes: Deno.memoryUsage().rss };
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "public";

/** GET: every metric family, freshly computed (no broker call: scrapes stay cheap). */
export const handler: Handlers = {
  GET(_req, ctx) {
    const { statuses, httpMetrics, staleAfterMs } = ctx.services;
    const text = formatMetrics([
      ...metricFamilies({
        consumers: statuses.list(),
        http: httpMetrics.samples(),
        now: Date.now(),
        staleAfterMs,
        uptimeSeconds: performance.now() / 1000,
        process: processUsage(),
      }),
      ...groupLagFamilies(monitorDb(ctx.services)),
    ]);
    return new Response(text, {
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  },
};
