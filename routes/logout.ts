/**
 * `POST /logout`: ends the session (its row is deleted, the cookie
 * expired) and goes to the login page.
 */
import type { Handlers, RouteAccess } from "../shared/web/mod.ts";
import { audit } from "../shared/web/auth/mod.ts";
import {
  expiredSessionCookieHeader,
  readSessionCookie,
} from "../shared/web/auth/session_cookie.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "public";

/** POST: log out. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const token = readSessionCookie(req);
    if (token) await ctx.services.auth.sessions.close(token);
    if (ctx.state.user) {
      audit(ctx, { action: "logout", target: `user:${ctx.state.user.name}`, result: "ok" });
    }
    return new Response(null, {
      status: 303,
      headers: { location: "/login", "set-cookie": expiredSessionCookieHeader() },
    });
  },
};
