/**
 * The check an operator-only route makes before acting:
 * `requireRole(ctx, "operator")` throws 401 when nobody is logged in and
 * 403 when the user's role is too weak.
 */
import { HttpError } from "../http_error.ts";
import type { RouteState } from "../route_types.ts";
import { roleTooWeak } from "./authenticate.ts";
import { type Role, roleAllows, type User } from "./users.ts";

/** The logged-in user, if they have at least `role`; throws HttpError 401/403 otherwise. */
export function requireRole(ctx: { state: RouteState }, role: Role): User {
  const user = ctx.state.user;
  if (!user) throw new HttpError(401, "log in first");
  if (!roleAllows(user.role, role)) throw roleTooWeak(user, role);
  return user;
}
