/**
 * Logins and roles of the web app: users `viewer` and `operator`, sessions
 * (cookie) and HTTP Basic, failed-login rate limiting, the session's CSRF
 * token, the `Host` allowlist, the audit log, and each route's access
 * declaration (access.ts) checked by its gate (route_gate.ts). Routes use
 * `ctx.state.user`, `requireRole(ctx, role)` and `audit(ctx, entry)`.
 */
export {
  ACCESS_LEVELS,
  type AccessLevel,
  accessProblems,
  type MethodAccess,
  methodAccess,
  requiredRole,
  type RouteAccess,
} from "./access.ts";
export {
  audit,
  type AuditEntry,
  type AuditInput,
  type AuditResult,
  listAudit,
  type ListAuditOptions,
} from "./audit.ts";
export {
  AUTH_ENV_NAMES,
  type AuthConfig,
  type AuthMode,
  DEFAULT_PASSWORDS,
  loadAuthConfig,
} from "./auth_config.ts";
export { authenticate } from "./authenticate.ts";
export { safeNext } from "./safe_next.ts";
export { CONSOLE_DB, CONSOLE_MIGRATIONS, consoleDb } from "./console_db.ts";
export { CsrfField } from "./csrf_field.tsx";
export { CSRF_FIELD, CSRF_HEADER } from "./csrf_token.ts";
export { hostAllowlist } from "./host_allowlist.ts";
export { isLoopbackHost } from "./loopback.ts";
export { requireRole } from "./require_role.ts";
export { type Role, ROLES, type User } from "./users.ts";
export { createWebAuth, type LoginOutcome, type WebAuth } from "./web_auth.ts";
