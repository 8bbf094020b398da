/**
 * One spelling per request before anything reads it: the router, the
 * access gates, the CSRF check, the handlers and the error pages all see
 * the same URL.
 *
 * - A malformed `Host` (`a, b`, empty, spaces, a port that is not one) is a
 *   400 here, never a 500 further on.
 * - The path is parsed as a browser does (WHATWG URL): `/./` and `/../`
 *   segments, also spelled `%2e`, are resolved.
 * - Percent-encoded unreserved characters (`%61` for `a`, `%2D` for `-`) are
 *   decoded: RFC 3986 §6.2.2.2 makes `/%61pi` and `/api` the same path, so
 *   they get the same route, the same access decision and the same answer.
 *   Every other escape stays as it was (`%2F` is not `/`, `%2561` is
 *   `%61`, decoded once by the router into a parameter, never twice).
 *
 * Nothing else is rewritten: case, a trailing slash, `//` and a `;` suffix
 * are part of the path, and a path spelled so matches no route (404) unless
 * a `[param]` segment takes it as its value.
 */
import { hostNameOf } from "./auth/host_allowlist.ts";

const UNRESERVED = /%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2D|2E|5F|7E)/gi;

/** `path` with its percent-encoded unreserved characters decoded (RFC 3986 §6.2.2.2). */
export function decodeUnreserved(path: string): string {
  return path.replace(UNRESERVED, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}

/** Why a `Host` header is malformed, or undefined when it names a host (and port). */
export function hostProblem(host: string | null): string | undefined {
  if (host === null) return undefined; // in-process requests
  if (hostNameOf(host) === undefined) return `malformed Host header ${JSON.stringify(host)}`;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && Number(port) > 65_535) return `Host header port ${port} is not a port`;
}

function badRequest(message: string): Response {
  return new Response(`400 Bad Request: ${message}\n`, {
    status: 400,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}

/**
 * The request as the app should see it, or a 400 response for one that
 * cannot be read (a malformed `Host` or URL).
 */
export function canonicalRequest(req: Request): Request | Response {
  const problem = hostProblem(req.headers.get("host"));
  if (problem) return badRequest(problem);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return badRequest("malformed request URL");
  }
  const path = decodeUnreserved(url.pathname);
  if (path !== url.pathname) url.pathname = path;
  return url.href === req.url ? req : new Request(url, req);
}

/** The app's `fetch`, taking every request through `canonicalRequest` first. */
export function canonicalFetch<Args extends unknown[]>(
  fetch: (req: Request, ...rest: Args) => Response | Promise<Response>,
): (req: Request, ...rest: Args) => Response | Promise<Response> {
  return (req, ...rest) => {
    const canonical = canonicalRequest(req);
    return canonical instanceof Response ? canonical : fetch(canonical, ...rest);
  };
}
