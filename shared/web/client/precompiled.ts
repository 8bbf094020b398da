/**
 * Precompiled JSX in the browser. deno.json compiles JSX with Deno's
 * `precompile` transform, which turns static markup into HTML string
 * templates: ideal for server rendering, but Preact in the browser cannot
 * hydrate or update a template. `Deno.bundle` uses the same setting for the
 * islands' bundle, so the browser runtime turns each template back into
 * ordinary vnodes as it is created:
 *
 * - `options.attr` (called by `jsxAttr` for every dynamic attribute) keeps
 *   the attribute's real value (an event handler, say) and returns a token;
 * - `options.vnode` sees the template vnode, parses its HTML once per
 *   template (holes become comments or `data-fh<N>` attributes) and builds
 *   elements with `h()`, putting the dynamic children and attributes back.
 *
 * The key a template root was given is kept (the runtime would otherwise
 * give every template a fresh key on every render and remount it).
 */
import { type ComponentChildren, Fragment, h, options, type VNode } from "preact";

const TOKEN = "\u0001freshet-attr:";
const BOOLEAN_ATTRIBUTES = new Set([
  "allowfullscreen",
  "async",
  "autofocus",
  "checked",
  "defer",
  "disabled",
  "hidden",
  "inert",
  "multiple",
  "novalidate",
  "open",
  "readonly",
  "required",
  "selected",
]);

const attributes = new Map<string, [string, unknown]>();
let nextAttribute = 0;
const templates = new WeakMap<readonly string[], DocumentFragment>();

/** Parses a template once, marking each hole as a comment or an attribute. */
function compile(tpl: readonly string[]): DocumentFragment {
  let html = "";
  let inTag = false;
  let quote = "";
  tpl.forEach((part, i) => {
    for (const ch of part) {
      if (quote) quote = ch === quote ? "" : quote;
      else if (inTag) {
        if (ch === '"' || ch === "'") quote = ch;
        else if (ch === ">") inTag = false;
      } else if (ch === "<") inTag = true;
    }
    html += part;
    if (i < tpl.length - 1) html += inTag ? ` data-fh${i} ` : `<!--fh${i}-->`;
  });
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&quot;": '"', "&amp;": "&" };

/** A dynamic child: `jsxEscape` entity-encoded strings, which become text again. */
function child(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/&(lt|quot|amp);/g, (e) => ENTITIES[e]);
  return Array.isArray(value) ? value.map(child) : value;
}

function build(node: Node, exprs: unknown[]): unknown {
  if (node.nodeType === Node.TEXT_NODE) return (node as Text).data;
  if (node.nodeType === Node.COMMENT_NODE) {
    const hole = (node as Comment).data.match(/^fh(\d+)$/);
    return hole ? child(exprs[Number(hole[1])]) : null;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const props: Record<string, unknown> = {};
  for (const attribute of element.attributes) {
    const hole = attribute.name.match(/^data-fh(\d+)$/);
    if (hole) {
      const token = String(exprs[Number(hole[1])]);
      const entry = attributes.get(token);
      attributes.delete(token);
      if (entry && entry[1] !== undefined) props[entry[0]] = entry[1];
    } else {
      props[attribute.name] = attribute.value === "" && BOOLEAN_ATTRIBUTES.has(attribute.name)
        ? true
        : attribute.value;
    }
  }
  const children = [...element.childNodes].map((c) => build(c, exprs)) as ComponentChildren[];
  return h(element.localName, props, ...children);
}

const previousAttr = (options as { attr?: (name: string, value: unknown) => unknown }).attr;
(options as { attr?: (name: string, value: unknown) => unknown }).attr = (name, value) => {
  const token = `${TOKEN}${nextAttribute++}`;
  attributes.set(token, [name, value]);
  previousAttr?.(name, value);
  return token;
};

const previousVnode = options.vnode;
options.vnode = (vnode: VNode) => {
  const props = vnode.props as { tpl?: readonly string[]; exprs?: unknown[] };
  if (vnode.type === Fragment && Array.isArray(props?.tpl) && Array.isArray(props.exprs)) {
    let fragment = templates.get(props.tpl);
    if (!fragment) templates.set(props.tpl, fragment = compile(props.tpl));
    const nodes = [...fragment.childNodes].map((n) => build(n, props.exprs!));
    const root = nodes.length === 1 && typeof nodes[0] === "object" && nodes[0] !== null
      ? nodes[0] as VNode
      : undefined;
    if (root) {
      vnode.type = root.type;
      vnode.props = root.props;
      vnode.ref = root.ref;
    } else vnode.props = { children: nodes } as typeof vnode.props;
    const key = root?.key;
    Object.defineProperty(vnode, "key", { get: () => key, set() {}, enumerable: true });
  }
  previousVnode?.(vnode);
};
