/**
 * `GET /login/oidc?next=…`: starts single sign-on with the configured
 * OpenID Connect provider — a new state, nonce and PKCE verifier kept
 * server-side (shared/web/auth/oidc/oidc_logins.ts), the state bound to
 * this browser by a cookie, and a 303 to the provider's authorisation
 * endpoint. 404 when single sign-on is not configured.
 */
import { type Handlers, HttpError, type RouteAccess } from "../../shared/web/mod.ts";
import { consoleDb, safeNext } from "../../shared/web/auth/mod.ts";
import { oidcCookieHeader, rememberLogin } from "../../shared/web/auth/oidc/oidc_logins.ts";

/** Who may use it (shared/web/auth/access.ts): anyone, to log in. */
export const access: RouteAccess = "public";

/** The provider's redirect back to this app: `<origin>/login/oidc/callback`. */
export function callbackUri(url: URL): string {
  return `${url.origin}/login/oidc/callback`;
}

/** GET: off to the provider. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const oidc = ctx.services.auth.oidc;
    if (!oidc) throw new HttpError(404, "single sign-on is not configured (FRESHET_OIDC_ISSUER)");
    const next = safeNext(ctx.url.searchParams.get("next"));
    const { url, pending } = await oidc.start(callbackUri(ctx.url));
    await rememberLogin(consoleDb(ctx.services), pending, next);
    return new Response(null, {
      status: 303,
      headers: {
        location: url.href,
        "set-cookie": oidcCookieHeader(pending.state, ctx.url.protocol === "https:"),
        "cache-control": "no-store",
      },
    });
  },
};
