/**
 * The access check of one route, attached to that route by
 * mount_routes.ts, so it runs on the route the router matched and on
 * nothing else. It reads the route's own declaration (access.ts) and the
 * user the `authenticate` middleware found:
 *
 * - a login needed and nobody logged in: a browser asking for a page is
 *   sent to `/login?next=…` (303), anything else gets 401;
 * - a role too weak: 403, recorded in the audit log under the route's
 *   `audit` action when it names one;
 * - a method the route does not answer goes on to the route's 405, for
 *   anyone (it tells only the route's `Allow` list).
 *
 * Every answer of a route that is not `public`, and every answer to a
 * logged-in user, carries `Cache-Control: no-store`: console pages and
 * message JSON must not stay in a browser's or a proxy's cache.
 */
import type { MiddlewareHandler } from "hono";
import { wantsJson } from "../error_response.ts";
import type { WebEnv } from "../route_types.ts";
import type { WebServices } from "../services.ts";
import { methodAccess, requiredRole, type RouteAccess } from "./access.ts";
import { audit } from "./audit.ts";
import { loginRequired, roleTooWeak } from "./authenticate.ts";
import { expiredSessionCookieHeader } from "./session_cookie.ts";
import { roleAllows } from "./users.ts";

/** The route a gate guards. */
export interface GatedRoute {
  /** e.g. `/api/topics/:topic` */
  pattern: string;
  access: RouteAccess;
  /** The methods the route answers (route_methods.ts); any other goes on to its 405. */
  methods: readonly string[];
}

/** What a refused user is recorded against: the route's parameters, or its pattern. */
function auditTarget(pattern: string, params: Record<string, string>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return `route:${pattern}`;
  return entries.map(([name, value]) => `${name}:${value}`).join(" ");
}

/**
 * Sets `Cache-Control: no-store` on a route's response (keeping
 * `no-transform` for event streams). Routes answer with headers of their
 * own (never `Response.redirect`), which can be changed in place.
 */
export function noStore(headers: Headers): void {
  const current = headers.get("cache-control") ?? "";
  if (/\bno-store\b/.test(current)) return;
  headers.set(
    "cache-control",
    /\bno-transform\b/.test(current) ? "no-store, no-transform" : "no-store",
  );
}

/** Middleware enforcing `route.access` for the request's user. */
export function routeGate(
  route: GatedRoute,
  services: Pick<WebServices, "auth" | "databases" | "jsonPaths">,
): MiddlewareHandler<WebEnv> {
  return async function routeGate(c, next) {
    const req = c.req.raw;
    const state = c.get("state");
    const answers = route.methods.includes("*") || route.methods.includes(req.method);
    const declared = answers ? methodAccess(route.access, req.method) : undefined;
    if (!declared) return await next(); // the route answers 405
    const needed = requiredRole(declared.level, req.method, services.auth.config.mode);
    const user = state.user;
    if (needed && !user) {
      if ((req.method === "GET" || req.method === "HEAD") && !wantsJson(req, services.jsonPaths)) {
        const url = new URL(req.url);
        const next = encodeURIComponent(`${url.pathname}${url.search}`);
        const headers = new Headers({
          location: `/login?next=${next}`,
          "cache-control": "no-store",
        });
        if (state.staleSession) headers.append("set-cookie", expiredSessionCookieHeader());
        return new Response(null, { status: 303, headers });
      }
      const error = loginRequired(req);
      error.headers.set("cache-control", "no-store");
      throw error;
    }
    if (needed && user && !roleAllows(user.role, needed)) {
      const refusal = roleTooWeak(user, needed);
      refusal.headers.set("cache-control", "no-store");
      if (declared.audit) {
        audit({ state, services }, {
          action: declared.audit,
          target: auditTarget(route.pattern, c.req.param() as Record<string, string>),
          result: "refused",
          detail: refusal.message,
        });
      }
      throw refusal;
    }
    await next();
    if (declared.level !== "public" || user) noStore(c.res.headers);
  };
}
