/**
 * Puts discovered routes on a Hono app, most specific pattern first. A
 * route answers every method: the handler object's function for it, GET's
 * for HEAD (without the body), a plain GET render for a page without a
 * handler, and 405 with `Allow` for the rest. Each route gets its own
 * access gate (auth/route_gate.ts) in front of its handler, so access is
 * decided for the route the router matched, by that route's declaration.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { routeGate } from "./auth/route_gate.ts";
import { HttpError } from "./http_error.ts";
import type { DocumentAssets } from "./render.ts";
import { renderDocument } from "./render.ts";
import { allowedMethods } from "./route_methods.ts";
import { comparePatterns } from "./route_path.ts";
import type { RouteEntry } from "./route_files.ts";
import type { HandlerFn, Method, RouteContext, RouteModule, WebEnv } from "./route_types.ts";
import type { WebServices } from "./services.ts";

const renderPage: HandlerFn = (_req, ctx) => ctx.render(undefined);

function handlerFor(module: RouteModule, method: string): HandlerFn | undefined {
  const { handler } = module;
  if (typeof handler === "function") return handler;
  if (!handler) return method === "GET" || method === "HEAD" ? renderPage : undefined;
  return handler[method as Method] ?? (method === "HEAD" ? handler.GET : undefined);
}

/** Registers every route of `routes` on `app`. */
export function mountRoutes(
  app: Hono<WebEnv>,
  routes: RouteEntry[],
  deps: { services: WebServices; assets: DocumentAssets },
): void {
  const sorted = [...routes].sort((a, b) => comparePatterns(a.pattern, b.pattern));
  for (const { file, pattern, module } of sorted) {
    if (module.access === undefined) throw new Error(`routes/${file}: declares no access`);
    const matched: MiddlewareHandler<WebEnv> = (c, next) => {
      c.set("route", pattern); // for the metrics, whatever the gate decides
      return next();
    };
    const gate = routeGate(
      { pattern, access: module.access, methods: allowedMethods(module) },
      deps.services,
    );
    app.all(pattern, matched, gate, async (c) => {
      const req = c.req.raw;
      const fn = handlerFor(module, req.method);
      if (!fn) {
        throw new HttpError(405, `${req.method} is not allowed here`, {
          headers: { Allow: allowedMethods(module).join(", ") },
        });
      }
      const url = new URL(req.url);
      const params = c.req.param() as Record<string, string>;
      const state = c.get("state");
      const ctx: RouteContext = {
        params,
        url,
        state,
        services: deps.services,
        render(data, init) {
          if (!module.default) throw new Error(`routes/${file} has no page to render`);
          return renderDocument(module.default, { data, url, params, state }, deps.assets, {
            title: module.title,
            init,
          });
        },
      };
      const response = await fn(req, ctx);
      if (req.method !== "HEAD") return response;
      await response.body?.cancel(); // a live stream must end, not linger unread
      return new Response(null, response);
    });
  }
}
