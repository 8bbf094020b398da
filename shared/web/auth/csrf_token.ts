/**
 * The session's CSRF token, the second line of defence behind the Origin
 * check of ../csrf.ts. A change made with the session cookie must come
 * with either a same-origin `Origin` header (every current browser sends
 * one on POST; ../csrf.ts has already refused any other origin) or the
 * session's token, as the `_csrf` field of a form or the `X-CSRF-Token`
 * header. Forms always carry the field (see `CsrfField`), so they keep
 * working where a proxy or an extension strips `Origin`.
 */

/** Name of the form field carrying the token. */
export const CSRF_FIELD = "_csrf";
/** Name of the header carrying the token (scripts). */
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function sameString(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

async function sentToken(req: Request): Promise<string | undefined> {
  const header = req.headers.get(CSRF_HEADER);
  if (header) return header;
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (!FORM_TYPES.some((t) => type.startsWith(t)) || !req.body) return undefined;
  const form = await req.clone().formData().catch(() => undefined);
  const value = form?.get(CSRF_FIELD);
  return typeof value === "string" ? value : undefined;
}

/**
 * Why a request authenticated by the session cookie is refused, or
 * undefined when it may proceed (`expected` is the session's token).
 */
export async function csrfTokenRefusal(
  req: Request,
  expected: string,
): Promise<string | undefined> {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const origin = req.headers.get("origin");
  if (origin !== null && origin === new URL(req.url).origin) return undefined;
  const token = await sentToken(req);
  if (token !== undefined && sameString(token, expected)) return undefined;
  return "this change needs the form's CSRF token (reload the page and try again)";
}
