/**
 * The login middleware. It finds who is asking — the session cookie, else
 * HTTP Basic credentials (rate-limited like the login form) — and sets
 * `ctx.state.user` (undefined when nobody logged in), `ctx.state.csrfToken`
 * (the session's, for forms) and `ctx.state.clientAddress`. It decides no
 * access: each route's gate does (route_gate.ts), on the route the router
 * matched. Wrong Basic credentials are a 401 here, whatever the path, and
 * recorded (failed_logins.ts). A
 * change made with the session cookie must pass csrf_token.ts.
 */
import type { Context, MiddlewareHandler } from "hono";
import { HttpError } from "../http_error.ts";
import type { WebEnv } from "../route_types.ts";
import { fromBrowser, parseBasicAuth } from "./basic_auth.ts";
import { csrfTokenRefusal } from "./csrf_token.ts";
import { expiredSessionCookieHeader, readSessionCookie } from "./session_cookie.ts";
import type { Role, User } from "./users.ts";
import type { WebServices } from "../services.ts";
import { auditFailedLogin } from "./failed_logins.ts";

/** The address a request came from (`local` for in-process requests). */
export function clientAddress(c: Context): string {
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return info?.remoteAddr?.hostname ?? "local";
}

/** A 429 for a client that failed to log in too often. */
export function tooManyAttempts(retryAfterMs: number): HttpError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new HttpError(
    429,
    `too many failed logins; try again in ${Math.ceil(seconds / 60)} minute(s)`,
    { headers: { "Retry-After": String(seconds) } },
  );
}

/** The 401 for a request that needs a login (a Basic challenge only for non-browsers). */
export function loginRequired(req: Request, message = "log in first"): HttpError {
  const headers: HeadersInit = fromBrowser(req)
    ? {}
    : { "WWW-Authenticate": 'Basic realm="Freshet", charset="UTF-8"' };
  return new HttpError(401, message, { headers });
}

/** The 403 for a user whose role is too weak. */
export function roleTooWeak(user: User, needed: Role): HttpError {
  return new HttpError(403, `${user.name} has the ${user.role} role; this needs ${needed}`);
}

async function userOf(
  c: Context<WebEnv>,
  services: Pick<WebServices, "auth" | "databases">,
): Promise<User | undefined> {
  const auth = services.auth;
  const req = c.req.raw;
  const state = c.get("state");
  const token = readSessionCookie(req);
  if (token) {
    const session = await auth.session(token);
    if (session) {
      const refusal = await csrfTokenRefusal(req, session.csrfToken);
      if (refusal) throw new HttpError(403, refusal);
      state.csrfToken = session.csrfToken;
      return session.user;
    }
    state.staleSession = true;
  }
  const basic = parseBasicAuth(req.headers.get("authorization"));
  if (!basic) return undefined;
  const outcome = await auth.login(basic.name, basic.password, state.clientAddress ?? "local");
  if (outcome.ok) return outcome.user;
  const error = outcome.reason === "limited"
    ? tooManyAttempts(outcome.retryAfterMs)
    : loginRequired(req, "wrong user name or password");
  auditFailedLogin({ state, services }, { name: basic.name, via: "basic", reason: error.message });
  throw error;
}

/** Middleware setting `ctx.state.user` (who is asking); routes' gates decide access. */
export function authenticate(
  services: Pick<WebServices, "auth" | "databases">,
): MiddlewareHandler<WebEnv> {
  return async function authenticate(c, next) {
    const state = c.get("state");
    state.clientAddress = clientAddress(c);
    state.user = await userOf(c, services);
    await next();
    if (state.staleSession && !c.res.headers.has("set-cookie")) {
      c.res.headers.append("set-cookie", expiredSessionCookieHeader());
    }
  };
}
