/**
 * Route aliases: other paths a route answers at, each exactly as its
 * canonical route (the same module: handler, page and access declaration).
 * The seeds' own spellings (`/saldo/:id`, `/produce`, `/v1/orders`) stay
 * served without a file each re-exporting another; every alias is declared
 * once, in its service's module (`web.aliases`), and listed in README's
 * route table. The mounted table (and so the access matrix) holds them.
 */
import type { RouteEntry, RouteTable } from "./route_files.ts";

/** One alias: `path` (a route pattern, e.g. `/saldo/:id`) answers as `canonical` (`/api/saldo/:id`). */
export interface RouteAlias {
  path: string;
  canonical: string;
}

const PATTERN = /^\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_]\w*)(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_]\w*))*$/;

const paramsOf = (pattern: string) =>
  [...pattern.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]).sort().join(",");

/**
 * `table` with a route for each alias, answering as its canonical route.
 * Throws naming the alias when its canonical route does not exist, its
 * path is taken or malformed, or its parameters differ from the canonical's.
 */
export function withAliases(table: RouteTable, aliases: readonly RouteAlias[]): RouteTable {
  const byPattern = new Map(table.routes.map((r) => [r.pattern, r]));
  const added: RouteEntry[] = [];
  for (const alias of aliases) {
    const what = `route alias ${alias.path} → ${alias.canonical}`;
    const dots = alias.path.split("/").some((s) => s === "." || s === "..");
    if (!PATTERN.test(alias.path) || dots) {
      throw new Error(`${what}: the path is not a route pattern`);
    }
    const canonical = byPattern.get(alias.canonical);
    if (!canonical) throw new Error(`${what}: no route ${alias.canonical}`);
    if (canonical.aliasOf) throw new Error(`${what}: ${alias.canonical} is itself an alias`);
    if (byPattern.has(alias.path)) throw new Error(`${what}: ${alias.path} is already a route`);
    if (paramsOf(alias.path) !== paramsOf(alias.canonical)) {
      throw new Error(`${what}: the parameters differ`);
    }
    const entry: RouteEntry = { ...canonical, pattern: alias.path, aliasOf: alias.canonical };
    byPattern.set(alias.path, entry);
    added.push(entry);
  }
  return { ...table, routes: [...table.routes, ...added] };
}
