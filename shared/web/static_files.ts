/**
 * Files of `static/` served at the root (`static/styles.css` →
 * `/styles.css`), as Fresh does. Revalidated on every use (`no-cache` with
 * an ETag), so an edited stylesheet shows at once. Dot files and paths
 * leaving the folder are never served.
 */
import type { MiddlewareHandler } from "hono";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  webp: "image/webp",
  woff2: "font/woff2",
};

function fileUrl(dir: URL, pathname: string): URL | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const segments = path.split("/").slice(1);
  if (segments.some((s) => s === "" || s.startsWith(".") || /[\\\0]/.test(s))) return undefined;
  return new URL(segments.map(encodeURIComponent).join("/"), dir);
}

/** Middleware serving `dir`; passes the request on when there is no such file. */
export function serveStatic(dir: URL): MiddlewareHandler {
  return async function serveStatic(c, next) {
    const method = c.req.method;
    const url = method === "GET" || method === "HEAD" ? fileUrl(dir, c.req.path) : undefined;
    const stat = url ? await Deno.stat(url).catch(() => undefined) : undefined;
    if (!url || !stat?.isFile) return next();
    const etag = `W/"${stat.size.toString(36)}-${(stat.mtime?.getTime() ?? 0).toString(36)}"`;
    const headers = new Headers({
      "content-type": TYPES[url.pathname.split(".").pop() ?? ""] ?? "application/octet-stream",
      "cache-control": "no-cache",
      etag,
    });
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const body = method === "HEAD" ? null : await Deno.readFile(url);
    return new Response(body, { headers });
  };
}
