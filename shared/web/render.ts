/**
 * Page rendering: a page component is rendered to HTML (islands become
 * markers, see islands.ts) inside the document shell. Only a page that
 * used an island gets the hydration script and its island modules; any
 * other page ships no JavaScript at all.
 */
import { type ComponentType, h, type VNode } from "preact";
import { escapeHtml } from "./html.ts";
import type { IslandBundle } from "./island_bundle.ts";
import { renderWithIslands } from "./islands.ts";
import type { AppProps, RouteState } from "./route_types.ts";

/** What every page of an app shares. */
export interface DocumentAssets {
  /** The islands' browser bundle (undefined when the app has no island). */
  bundle?: IslandBundle;
  /** Stylesheet URLs linked from every page. */
  stylesheets: string[];
  /** URL of the page icon, if the app has one. */
  icon?: string;
  /** The shell every page renders inside (`routes/_app.tsx`), if the app has one. */
  app?: ComponentType<AppProps>;
}

/** Options of `renderDocument`. */
export interface RenderDocumentOptions {
  title?: string;
  init?: ResponseInit;
}

/** Renders `component` with `props` as a full HTML page response. */
export function renderDocument<P>(
  component: ComponentType<P>,
  props: P,
  assets: DocumentAssets,
  options: RenderDocumentOptions = {},
): Response {
  // deno-lint-ignore no-explicit-any
  const page = () => h(component as ComponentType<any>, props);
  const { url, state } = props as { url?: URL; state?: RouteState };
  const tree: VNode<unknown> = assets.app && url
    ? h(assets.app, { Component: page, url, state: state ?? {} }) as VNode<unknown>
    : page();
  const { html, islands } = renderWithIslands(tree);
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title ?? "Freshet")}</title>`,
    ...assets.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
  ];
  if (assets.icon) head.push(`<link rel="icon" href="${escapeHtml(assets.icon)}">`);
  let scripts = "";
  if (islands.size > 0) {
    const bundle = assets.bundle;
    if (!bundle) throw new Error("a page used an island but the app has no island bundle");
    for (const name of islands) {
      const url = bundle.islandUrls.get(name);
      if (!url) throw new Error(`island ${name} is not in this app's bundle`);
      head.push(
        `<link rel="modulepreload" href="${escapeHtml(url)}" data-island="${escapeHtml(name)}">`,
      );
    }
    scripts = `<script type="module" src="${escapeHtml(bundle.bootUrl)}"></script>`;
  }
  const body = `<!DOCTYPE html><html lang="en"><head>${
    head.join("")
  }</head><body>${html}${scripts}</body></html>`;
  const headers = new Headers(options.init?.headers);
  if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
  return new Response(body, { ...options.init, headers });
}
