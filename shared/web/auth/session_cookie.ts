/**
 * The session cookie: `freshet_session`, HttpOnly (scripts cannot read
 * it), SameSite=Strict (no other site's page or link sends it), Path=/,
 * expiring with the session, Secure when the app is reached over HTTPS.
 */

/** Name of the session cookie. */
export const SESSION_COOKIE = "freshet_session";

/** The session token a request carries, if any. */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      return part.slice(eq + 1).trim() || undefined;
    }
  }
  return undefined;
}

/** The `Set-Cookie` value that sets the session cookie. */
export function sessionCookieHeader(url: URL, token: string, expiresAt: number): string {
  const maxAge = Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000));
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function expiredSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`;
}
