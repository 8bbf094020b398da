/**
 * `GET /login/oidc/callback`: the provider's answer. The login this
 * browser started (its cookie) is taken, once; openid-client exchanges the
 * code and checks the ID token (issuer, audience, signature, expiry,
 * nonce) and the state; the role comes from the configured claim. Success
 * opens a session and answers a page that moves on to where the user was
 * going (a same-site step, so the `SameSite=Strict` session cookie is
 * sent: a redirect straight from the provider's site would not carry it).
 * Every failure is a page saying why, recorded as a failed login.
 */
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";
import { audit, consoleDb } from "../../../shared/web/auth/mod.ts";
import { auditFailedLogin } from "../../../shared/web/auth/failed_logins.ts";
import { OidcLoginError } from "../../../shared/web/auth/oidc/oidc_client.ts";
import {
  expiredOidcCookieHeader,
  LOGIN_TTL_MS,
  readOidcCookie,
  takeLogin,
} from "../../../shared/web/auth/oidc/oidc_logins.ts";
import { sessionCookieHeader } from "../../../shared/web/auth/session_cookie.ts";

/** Who may use it (shared/web/auth/access.ts): anyone, to log in. */
export const access: RouteAccess = "public";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page that moves a signed-in browser on to `next` (a path of this app). */
function continuePage(next: string, who: string): string {
  const href = escapeHtml(next);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="refresh" content="0;url=${href}"><title>Signed in · Freshet</title>` +
    `<link rel="stylesheet" href="/styles.css"><link rel="icon" href="/favicon.svg"></head>` +
    `<body><main class="page narrow">` +
    `<p>Signed in as <strong>${escapeHtml(who)}</strong>. <a href="${href}">Continue</a></p>` +
    `</main></body></html>`;
}

/** GET: finish the sign-in. */
export const handler: Handlers = {
  async GET(req, ctx) {
    const oidc = ctx.services.auth.oidc;
    if (!oidc) throw new HttpError(404, "single sign-on is not configured (FRESHET_OIDC_ISSUER)");
    const refuse = (error: HttpError, name: string): never => {
      auditFailedLogin(ctx, { name, via: "oidc", reason: error.message });
      throw new HttpError(error.status, error.message, {
        headers: { "set-cookie": expiredOidcCookieHeader(), "cache-control": "no-store" },
        cause: error,
      });
    };
    const state = readOidcCookie(req);
    const login = state ? await takeLogin(consoleDb(ctx.services), state) : undefined;
    if (!login) {
      refuse(
        new HttpError(
          400,
          `this sign-in was not started in this browser, or took longer than ${
            LOGIN_TTL_MS / 60_000
          } minutes: start it again from the login page`,
        ),
        "unknown",
      );
    }
    let user;
    try {
      user = await oidc.finish(ctx.url, login!.pending);
    } catch (error) {
      const known = error instanceof HttpError ? error : new OidcLoginError(502, String(error));
      refuse(known, error instanceof OidcLoginError ? error.subject ?? "unknown" : "unknown");
    }
    const { token, session } = await ctx.services.auth.openSession(user!, { via: "oidc" });
    ctx.state.user = user;
    audit(ctx, {
      action: "login",
      target: `user:${user!.name}`,
      result: "ok",
      detail: { via: "oidc", provider: oidc.config.name, role: user!.role },
    });
    const headers = new Headers({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    });
    headers.append("set-cookie", sessionCookieHeader(ctx.url, token, session.expiresAt));
    headers.append("set-cookie", expiredOidcCookieHeader());
    return new Response(continuePage(login!.next, `${user!.name} (${user!.role})`), { headers });
  },
};
