/**
 * Which role a request needs, from its method and path alone (checked by
 * the `authenticate` middleware before any route runs):
 *
 * - always open: the login and logout pages, `/health`, `/metrics`, the
 *   islands' scripts and static files;
 * - the console (pages under `/console` and its JSON API) needs a login
 *   in every mode; the operator-only actions check `requireRole` too;
 * - `/api/groups`: reading it is the monitor's API, as open as the
 *   `/groups` pages; its actions (offset resets, deletes) are the console's;
 * - everything else (the domain pages and APIs, the REST proxy) is open in
 *   `console` mode (a loopback host), and in `required` mode needs a login
 *   to read and the operator role to change anything.
 */
import type { AuthMode } from "./auth_config.ts";
import type { Role } from "./users.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Path prefixes of the console: pages and JSON API. */
export const CONSOLE_PATHS = [
  "/console",
  "/api/topics",
  "/api/acls",
  "/api/audit",
  "/api/dlq",
  "/api/schemas",
] as const;

const OPEN_PATHS = new Set(["/login", "/logout", "/health", "/metrics"]);
const STATIC_FILE = /^\/[A-Za-z0-9._-]+\.(css|svg|png|ico|txt|webmanifest)$/;

function under(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** Whether `pathname` is part of the console. */
export function isConsolePath(pathname: string): boolean {
  return CONSOLE_PATHS.some((prefix) => under(pathname, prefix));
}

/** The role `method pathname` needs, or undefined when it is open to anyone. */
export function requiredRole(method: string, pathname: string, mode: AuthMode): Role | undefined {
  if (OPEN_PATHS.has(pathname) || under(pathname, "/_islands") || STATIC_FILE.test(pathname)) {
    return undefined;
  }
  if (isConsolePath(pathname)) return "viewer";
  if (under(pathname, "/api/groups") && !SAFE_METHODS.has(method)) return "viewer";
  if (mode === "console") return undefined;
  return SAFE_METHODS.has(method) ? "viewer" : "operator";
}
