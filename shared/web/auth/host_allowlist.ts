/**
 * The `Host` header allowlist, against DNS rebinding: a page on another
 * site whose name was made to resolve to this machine reaches the app with
 * its own name in `Host`, and is refused. Allowed: the host the server is
 * bound to, `localhost`, `127.0.0.1`, `[::1]`, and the names in
 * `FRESHET_ALLOWED_HOSTS` (e.g. the public name behind a proxy; the host of
 * `FRESHET_PUBLIC_URL` is added). The request URL's host is checked too: a
 * trusted proxy's `X-Forwarded-Host` becomes it (canonical_request.ts).
 * Requests without a `Host` header (in-process tests) are not checked.
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../http_error.ts";

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/** Host names (lower case, IPv6 in brackets) a request may name. */
export function allowedHostNames(boundHost: string, extra: readonly string[]): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  const bound = boundHost.toLowerCase();
  if (!WILDCARD_HOSTS.has(bound)) names.add(bound.includes(":") ? `[${bound}]` : bound);
  for (const name of extra) names.add(name.toLowerCase());
  return names;
}

const HOST_HEADER = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/** The host name of a `Host` header value (port dropped, lower case), or undefined if malformed. */
export function hostNameOf(host: string): string | undefined {
  const match = HOST_HEADER.exec(host);
  return match ? match[1].toLowerCase() : undefined;
}

/** Middleware answering 403 to a request whose `Host` is not allowed. */
export function hostAllowlist(options: {
  boundHost: string;
  allowedHosts: readonly string[];
}): MiddlewareHandler {
  const allowed = allowedHostNames(options.boundHost, options.allowedHosts);
  return async function hostAllowlist(c, next) {
    const host = c.req.raw.headers.get("host");
    // In process (no Host header) nothing is checked; from the network, the URL's host too.
    for (const name of host === null ? [] : [host, new URL(c.req.url).host]) {
      const hostName = hostNameOf(name.trim());
      if (hostName === undefined || !allowed.has(hostName)) {
        throw new HttpError(
          403,
          `Host ${JSON.stringify(name)} is not served here (add it to FRESHET_ALLOWED_HOSTS)`,
        );
      }
    }
    await next();
  };
}
