/**
 * Server-side islands. A page imports an island from `islands/` and uses it
 * like any component; while a page renders, a Preact `options.vnode` hook
 * swaps every known island for a marker element carrying the island's name
 * and JSON props, with the island's own HTML inside:
 *
 *   <freshet-island data-name="ConsumerBoard" data-props="{…}">…</freshet-island>
 *
 * The browser runtime (client/boot.ts) hydrates each marker. The island is
 * rendered by a nested, separate render so an island used inside another
 * island stays a plain component of its parent (as it is in the browser).
 */
import { type ComponentChild, type ComponentType, h, options, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { serializeIslandProps } from "./island_props.ts";

/** Tag name of the marker element. */
export const ISLAND_TAG = "freshet-island";

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

const names = new WeakMap<AnyComponent, string>();
let used: Set<string> | undefined;
let depth = 0;

/** Makes `component` an island called `name` for every later page render. */
export function registerIsland(name: string, component: AnyComponent): void {
  names.set(component, name);
}

interface MarkerProps {
  name: string;
  component: AnyComponent;
  props: Record<string, unknown>;
}

function IslandMarker({ name, component, props }: MarkerProps): ComponentChild {
  const json = serializeIslandProps(name, props);
  depth++;
  let html: string;
  try {
    html = renderToString(h(component, props));
  } finally {
    depth--;
  }
  used?.add(name);
  const attributes: Record<string, unknown> = {
    "data-name": name,
    "data-props": json,
    dangerouslySetInnerHTML: { __html: html },
  };
  return h(ISLAND_TAG, attributes);
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  if (used && depth === 0 && typeof vnode.type === "function") {
    const name = names.get(vnode.type as AnyComponent);
    if (name !== undefined) {
      const marker: MarkerProps = {
        name,
        component: vnode.type as AnyComponent,
        props: vnode.props as Record<string, unknown>,
      };
      vnode.type = IslandMarker as AnyComponent;
      vnode.props = marker as unknown as typeof vnode.props;
    }
  }
  previousVnodeHook?.(vnode);
};

/** Renders `vnode` to HTML and tells which islands it used. */
export function renderWithIslands(vnode: VNode): { html: string; islands: Set<string> } {
  const outer = used;
  const islands = new Set<string>();
  used = islands;
  try {
    return { html: renderToString(vnode), islands };
  } finally {
    used = outer;
  }
}
