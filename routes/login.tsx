/**
 * The login page: user name and password, a session cookie on success
 * (303 back to where the user was going), the reason on failure, 429 after
 * too many failures; "Sign in with <provider>" when single sign-on is
 * configured (routes/login/oidc.ts). Works without JavaScript.
 */
import { type Handlers, HttpError, type PageProps, type RouteAccess } from "../shared/web/mod.ts";
import { audit, CsrfField, safeNext } from "../shared/web/auth/mod.ts";
import { tooManyAttempts } from "../shared/web/auth/authenticate.ts";
import { auditFailedLogin } from "../shared/web/auth/failed_logins.ts";
import { sessionCookieHeader } from "../shared/web/auth/session_cookie.ts";
import { readForm } from "../shared/web/form_body.ts";

/** The page title. */
export const title = "Log in · Freshet";

/** What the page shows. */
export interface LoginPageData {
  next: string;
  name: string;
  error?: string;
  /** Who is logged in already, if anyone. */
  current?: string;
  /** The single sign-on provider's name, when configured. */
  sso?: string;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "public";

/** GET: the form; POST: log in. */
export const handler: Handlers<LoginPageData> = {
  GET(_req, ctx) {
    return ctx.render({
      next: safeNext(ctx.url.searchParams.get("next")),
      name: "",
      current: ctx.state.user?.name,
      sso: ctx.services.auth.oidc?.config.name,
    }, { headers: { "cache-control": "no-store" } });
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const name = String(form.get("name") ?? "").slice(0, 100);
    const password = String(form.get("password") ?? "");
    const next = safeNext(String(form.get("next") ?? ""));
    const auth = ctx.services.auth;
    const outcome = await auth.login(name, password, ctx.state.clientAddress ?? "local");
    if (!outcome.ok) {
      const error = outcome.reason === "limited"
        ? tooManyAttempts(outcome.retryAfterMs)
        : new HttpError(401, "wrong user name or password");
      auditFailedLogin(ctx, { name, via: "form", reason: error.message });
      const headers = new Headers(error.headers);
      headers.set("cache-control", "no-store");
      const sso = auth.oidc?.config.name;
      return ctx.render({ next, name, sso, error: error.message }, {
        status: error.status,
        headers,
      });
    }
    const { token, session } = await auth.openSession(outcome.user);
    ctx.state.user = outcome.user;
    audit(ctx, { action: "login", target: `user:${outcome.user.name}`, result: "ok" });
    return new Response(null, {
      status: 303,
      headers: {
        location: next,
        "set-cookie": sessionCookieHeader(ctx.url, token, session.expiresAt),
        "cache-control": "no-store",
      },
    });
  },
};

/** The login form. */
export default function Login({ data, state }: PageProps<LoginPageData>) {
  return (
    <main class="page narrow">
      <h1>Log in</h1>
      {data.current && (
        <p class="notice" role="status">
          You are logged in as <strong>{data.current}</strong>; logging in again switches user.
        </p>
      )}
      {data.error && <p class="error" role="alert">{data.error}</p>}
      {data.sso && (
        <p class="sso">
          <a class="button" href={`/login/oidc?next=${encodeURIComponent(data.next)}`}>
            Sign in with {data.sso}
          </a>
        </p>
      )}
      <form method="post" action="/login" class="login-form">
        <CsrfField state={state} />
        <input type="hidden" name="next" value={data.next} />
        <label>
          User <input name="name" value={data.name} required autocomplete="username" />
        </label>
        <label>
          Password{" "}
          <input type="password" name="password" required autocomplete="current-password" />
        </label>
        <button type="submit">Log in</button>
      </form>
      <p class="muted">
        Users: <code>viewer</code> reads the console, <code>operator</code>{" "}
        may also change things. Local passwords are in the README.
      </p>
    </main>
  );
}
