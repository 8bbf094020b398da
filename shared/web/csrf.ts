/**
 * CSRF protection for state-changing requests. Browsers send
 * `Sec-Fetch-Site` and `Origin` on every POST/PUT/PATCH/DELETE; a request
 * another site made them send is refused. API clients (curl, services,
 * kcat scripts) send neither and are let through: they cannot be tricked
 * into carrying a user's cookies.
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Options of `csrf`. */
export interface CsrfOptions {
  /** Origins allowed besides the request's own (e.g. behind a proxy: `https://freshet.example`). */
  trustedOrigins?: string[];
}

/** Why a request is refused, or undefined when it may proceed. */
export function csrfRefusal(req: Request, trusted: ReadonlySet<string>): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  if (origin !== null) {
    const own = new URL(req.url).origin;
    if (origin === own || trusted.has(origin)) return undefined;
    return `cross-origin request refused (Origin ${origin})`;
  }
  if (site !== null && site !== "same-origin" && site !== "none") {
    return `cross-site request refused (Sec-Fetch-Site ${site})`;
  }
  return undefined;
}

/** Middleware refusing cross-site state-changing requests with 403. */
export function csrf(options: CsrfOptions = {}): MiddlewareHandler {
  const trusted = new Set(options.trustedOrigins ?? []);
  return async function csrf(c, next) {
    const refusal = csrfRefusal(c.req.raw, trusted);
    if (refusal) throw new HttpError(403, refusal);
    await next();
  };
}
