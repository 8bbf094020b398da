/**
 * The route conventions, after Fresh: a file under `routes/` exports a
 * named `handler` (one function per HTTP method, or one function for all)
 * and, for a page, a default Preact component receiving the handler's data
 * through `ctx.render(data)`.
 */
import type { ComponentType } from "preact";
import type { RouteAccess } from "./auth/access.ts";
import type { WebServices } from "./services.ts";
import type { Method, RouteState } from "./web_env.ts";

export { type Method, METHODS, type RouteState, type WebEnv } from "./web_env.ts";

/** What a handler gets besides the request. */
export interface RouteContext<Data = unknown> {
  /** Values of the `[name]` segments of the route, decoded. */
  params: Record<string, string>;
  url: URL;
  state: RouteState;
  services: WebServices;
  /** Renders the route's page with `data` (status 200 unless `init` says otherwise). */
  render(data: Data, init?: ResponseInit): Response;
}

/** One handler function. */
export type HandlerFn<Data = unknown> = (
  req: Request,
  ctx: RouteContext<Data>,
) => Response | Promise<Response>;

/** Per-method handlers; a method without one gets 405 (HEAD falls back to GET). */
export type Handlers<Data = unknown> = Partial<Record<Method, HandlerFn<Data>>>;

/** A route's `handler` export. */
export type Handler<Data = unknown> = HandlerFn<Data> | Handlers<Data>;

/** Props of a page component. */
export interface PageProps<Data = unknown> {
  data: Data;
  url: URL;
  params: Record<string, string>;
  state: RouteState;
}

/** What a route file may export. */
export interface RouteModule {
  handler?: Handler;
  // deno-lint-ignore no-explicit-any
  default?: ComponentType<PageProps<any>>;
  /** The page's `<title>` (default: "Freshet"). */
  title?: string;
  /** Who may use the route, per method (shared/web/auth/access.ts); required. */
  access?: RouteAccess;
}

/** Props of the app shell (`routes/_app.tsx`): the page to render inside it. */
export interface AppProps {
  /** Renders the page. */
  Component: ComponentType;
  url: URL;
  state: RouteState;
}

/** What `routes/_app.tsx` exports. */
export interface AppModule {
  default: ComponentType<AppProps>;
}
