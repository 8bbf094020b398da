/**
 * The browser runtime of the islands: hydrates every `<freshet-island>`
 * marker with its component and the JSON props the server rendered it
 * with. The module of each island is named by a `<link rel="modulepreload"
 * data-island="Name">` in the page's head, so it loads in parallel.
 */
import "./precompiled.ts";
import { h, hydrate } from "preact";

async function hydrateAll(): Promise<void> {
  const urls = new Map<string, string>();
  for (const link of document.querySelectorAll<HTMLLinkElement>("link[data-island]")) {
    urls.set(link.dataset.island ?? "", link.href);
  }
  const markers = [...document.querySelectorAll<HTMLElement>("freshet-island")];
  await Promise.all(markers.map(async (marker) => {
    const name = marker.dataset.name ?? "";
    const url = urls.get(name);
    if (!url) throw new Error(`no module for island ${name}`);
    const module = await import(url);
    const props = JSON.parse(marker.dataset.props ?? "{}");
    hydrate(h(module.default, props), marker);
  }));
}

hydrateAll().catch((error) => console.error("island hydration failed", error));
