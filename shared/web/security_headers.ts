/**
 * Security headers on every response. The content security policy allows
 * only this origin's scripts and styles: islands are external module
 * scripts, so no inline script is ever needed.
 */
import type { MiddlewareHandler } from "hono";

/** Options of `securityHeaders`. */
export interface SecurityHeadersOptions {
  /** Replaces the default Content-Security-Policy. */
  contentSecurityPolicy?: string;
}

/** The default policy: same-origin scripts, styles, connections (SSE) and forms. */
export const DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Middleware setting the headers (a handler's own values win). */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const headers: Record<string, string> = {
    "Content-Security-Policy": options.contentSecurityPolicy ?? DEFAULT_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
  return async function securityHeaders(c, next) {
    await next();
    for (const [name, value] of Object.entries(headers)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
