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
 *
 * Behind a TLS proxy the URL's origin becomes the one users see:
 * `FRESHET_PUBLIC_URL` when set, else `X-Forwarded-Proto` and
 * `X-Forwarded-Host` from a trusted proxy (`FRESHET_TRUSTED_PROXIES`, whose
 * `X-Forwarded-For` also gives the client's address). So the session
 * cookie is `Secure` and the CSRF check expects `https://…` without either
 * knowing about proxies. Forwarded headers from anyone else are ignored.
 */
import { hostNameOf } from "./auth/host_allowlist.ts";
import type { TrustedProxies } from "./auth/trusted_proxies.ts";

/** Where requests really come from (auth_config.ts). */
export interface RequestOrigins {
  publicOrigin?: string;
  trustedProxies: TrustedProxies;
}

/** The connection info Deno.serve passes with a request (the parts read here). */
type ServeInfo = { remoteAddr?: { hostname?: string } } | undefined;

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

function firstValue(header: string | null): string | undefined {
  return header?.split(",")[0].trim() || undefined;
}

/**
 * The request as the app should see it, or a 400 response for one that
 * cannot be read (a malformed `Host`, forwarded host or URL). `peer` is
 * the address the connection came from.
 */
export function canonicalRequest(
  req: Request,
  origins?: RequestOrigins,
  peer?: string,
): Request | Response {
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
  if (origins?.publicOrigin) {
    url = new URL(`${url.pathname}${url.search}`, origins.publicOrigin);
  } else if (origins?.trustedProxies.trusts(peer)) {
    const proto = firstValue(req.headers.get("x-forwarded-proto"))?.toLowerCase();
    const host = firstValue(req.headers.get("x-forwarded-host"));
    if (proto !== undefined) {
      if (proto !== "http" && proto !== "https") {
        return badRequest(`malformed X-Forwarded-Proto ${JSON.stringify(proto)}`);
      }
      url.protocol = `${proto}:`;
    }
    if (host !== undefined) {
      const hostError = hostProblem(host);
      if (hostError) return badRequest(`X-Forwarded-Host: ${hostError}`);
      url.host = host;
      if (!/:\d+$/.test(host)) url.port = ""; // the default port of the forwarded scheme
    }
  }
  return url.href === req.url ? req : new Request(url, req);
}

/**
 * The app's `fetch`, taking every request through `canonicalRequest` first;
 * behind a trusted proxy the connection info names the client, not the proxy.
 */
export function canonicalFetch<Rest extends unknown[]>(
  fetch: (req: Request, info?: unknown, ...rest: Rest) => Response | Promise<Response>,
  origins?: RequestOrigins,
): (req: Request, info?: unknown, ...rest: Rest) => Response | Promise<Response> {
  return (req, info, ...rest) => {
    const peer = (info as ServeInfo)?.remoteAddr?.hostname;
    const canonical = canonicalRequest(req, origins, peer);
    if (canonical instanceof Response) return canonical;
    if (peer !== undefined && origins?.trustedProxies.trusts(peer)) {
      const client = origins.trustedProxies.clientOf(peer, req.headers.get("x-forwarded-for"));
      const served = info as { remoteAddr: Record<string, unknown> };
      info = { ...served, remoteAddr: { ...served.remoteAddr, hostname: client } };
    }
    return fetch(canonical, info, ...rest);
  };
}
