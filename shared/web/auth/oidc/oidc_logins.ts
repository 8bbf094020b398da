/**
 * Single sign-on logins in progress, between the redirect to the provider
 * and its answer: the PKCE verifier, the nonce and where to go back to,
 * kept in the console database under the SHA-256 of the state for at most
 * `LOGIN_TTL_MS`, and used once. The browser that started a login carries
 * its state in the `freshet_oidc` cookie (HttpOnly, `SameSite=Lax` so it
 * comes back on the provider's redirect, `Path=/login/oidc`): the answer
 * is matched to that browser's login, and openid-client then checks that
 * the state the provider sent back is the same — another browser's or a
 * forged answer is refused.
 */
import { type DatabaseSync, statement } from "../../../sqlite/sqlite.ts";
import { HttpError } from "../../http_error.ts";
import type { PendingLogin } from "./oidc_client.ts";

/** How long a login may take at the provider. */
export const LOGIN_TTL_MS = 10 * 60_000;
/** Logins in progress at once, at most: anyone may start one, so they are bounded. */
export const MAX_PENDING_LOGINS = 10_000;
/** Name of the cookie binding a login to its browser. */
export const OIDC_COOKIE = "freshet_oidc";

async function hash(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Remembers `pending` and where the user was going; a 503 while
 * `maxPending` logins are in progress (a flood of starts cannot grow the
 * database).
 */
export async function rememberLogin(
  db: DatabaseSync,
  pending: PendingLogin,
  next: string,
  options: { now?: number; maxPending?: number } = {},
): Promise<void> {
  const now = options.now ?? Date.now();
  statement(db, "DELETE FROM oidc_logins WHERE created_at <= ?").run(now - LOGIN_TTL_MS);
  const { n } = statement(db, "SELECT count(*) AS n FROM oidc_logins").get()!;
  if (Number(n) >= (options.maxPending ?? MAX_PENDING_LOGINS)) {
    throw new HttpError(503, "too many sign-ins are in progress; try again in a few minutes", {
      headers: { "Retry-After": "60" },
    });
  }
  statement(
    db,
    `INSERT INTO oidc_logins (state_hash, code_verifier, nonce, next, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(await hash(pending.state), pending.codeVerifier, pending.nonce, next, now);
}

/** The login of `state` (removed: used once), or undefined when unknown or too old. */
export async function takeLogin(
  db: DatabaseSync,
  state: string,
  now = Date.now(),
): Promise<{ pending: PendingLogin; next: string } | undefined> {
  const key = await hash(state);
  const row = statement(
    db,
    "SELECT code_verifier, nonce, next, created_at FROM oidc_logins WHERE state_hash = ?",
  ).get(key);
  if (!row) return undefined;
  statement(db, "DELETE FROM oidc_logins WHERE state_hash = ?").run(key);
  if (Number(row.created_at) <= now - LOGIN_TTL_MS) return undefined;
  return {
    pending: { state, codeVerifier: String(row.code_verifier), nonce: String(row.nonce) },
    next: String(row.next),
  };
}

/** The `Set-Cookie` binding the login `state` to this browser. */
export function oidcCookieHeader(state: string, secure: boolean): string {
  return `${OIDC_COOKIE}=${state}; Max-Age=${LOGIN_TTL_MS / 1000}; Path=/login/oidc; HttpOnly; ` +
    `SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The `Set-Cookie` removing it. */
export function expiredOidcCookieHeader(): string {
  return `${OIDC_COOKIE}=; Max-Age=0; Path=/login/oidc; HttpOnly; SameSite=Lax`;
}

/** The state this browser's login carries, if any. */
export function readOidcCookie(req: Request): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === OIDC_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
