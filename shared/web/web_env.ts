/**
 * What every request carries through the web kernel's middleware: the
 * request state and the matched route (Hono variables), and the HTTP
 * methods a route may answer. The base of route_types.ts, kept apart so
 * middleware (metrics, access) needs no route types.
 */
import type { User } from "./auth/users.ts";

/** Per-request values set by middleware, readable by handlers and pages. */
export interface RouteState {
  /** Who is logged in (shared/web/auth), undefined when nobody is. */
  user?: User;
  /** The session's CSRF token, for forms (`CsrfField`) and scripts (`X-CSRF-Token`). */
  csrfToken?: string;
  /** The client's address (`local` in process). */
  clientAddress?: string;
  [key: string]: unknown;
}

/** Hono variables of a Freshet app: the matched route pattern and the request state. */
export type WebEnv = { Variables: { route: string; state: RouteState } };

/** The HTTP methods a handler object may define. */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
/** One HTTP method of `METHODS`. */
export type Method = typeof METHODS[number];
