/**
 * Counts HTTP requests by method, route pattern (not the raw path, so the
 * number of series stays bounded) and status, for `/metrics`.
 */
import type { MiddlewareHandler } from "hono";
import type { Sample } from "./prometheus.ts";
import type { WebEnv } from "./web_env.ts";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Route label of a request no route matched (404s, static files). */
export const UNMATCHED_ROUTE = "(unmatched)";

/** Request counters. */
export class HttpMetrics {
  #counts = new Map<string, number>();

  /** Counts one request. */
  count(method: string, route: string, status: number): void {
    const key = JSON.stringify([KNOWN_METHODS.has(method) ? method : "OTHER", route, status]);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** The counters as samples labelled method, route, status. */
  samples(): Sample[] {
    return [...this.#counts].map(([key, value]) => {
      const [method, route, status] = JSON.parse(key) as [string, string, number];
      return { labels: { method, route, status: String(status) }, value };
    });
  }
}

/** Middleware counting every request once its response is known. */
export function countRequests(metrics: HttpMetrics): MiddlewareHandler<WebEnv> {
  return async function countRequests(c, next) {
    await next();
    metrics.count(c.req.method, c.get("route") ?? UNMATCHED_ROUTE, c.res.status);
  };
}
