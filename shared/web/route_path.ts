/**
 * From a file under `routes/` to a URL pattern, Fresh style:
 * `index.tsx` → `/`, `api/foo/[id].ts` → `/api/foo/:id`,
 * `files/[...path].ts` → `/files/:path{.+}`. Files and folders starting
 * with `_` (`_404.tsx`) and tests (`x_test.ts`) are not routes.
 */

const ROUTE_FILE = /\.(tsx|ts|jsx|js)$/;
const TEST_FILE = /(_test|\.test)\.(tsx|ts|jsx|js)$/;

/** Whether a path relative to `routes/` (with `/` separators) is a route file. */
export function isRouteFile(relativePath: string): boolean {
  if (!ROUTE_FILE.test(relativePath) || TEST_FILE.test(relativePath)) return false;
  return !relativePath.split("/").some((segment) => segment.startsWith("_"));
}

/** The Hono pattern of a route file, e.g. `api/foo/[id].ts` → `/api/foo/:id`. */
export function routePattern(relativePath: string): string {
  const segments = relativePath.replace(ROUTE_FILE, "").split("/");
  if (segments.at(-1) === "index") segments.pop();
  const parts = segments.map((segment) => {
    const rest = segment.match(/^\[\.\.\.([A-Za-z_]\w*)\]$/);
    if (rest) return `:${rest[1]}{.+}`;
    const param = segment.match(/^\[([A-Za-z_]\w*)\]$/);
    if (param) return `:${param[1]}`;
    if (/[\[\]:{}*]/.test(segment)) {
      throw new Error(`routes/${relativePath}: bad segment "${segment}" (use [name] or [...name])`);
    }
    return segment;
  });
  return "/" + parts.join("/");
}

function segmentRank(segment: string): number {
  if (segment.endsWith("{.+}")) return 2;
  return segment.startsWith(":") ? 1 : 0;
}

/**
 * Orders patterns so the most specific wins: at the first differing
 * segment, a fixed name beats a `[param]`, which beats a `[...rest]`.
 */
export function comparePatterns(a: string, b: string): number {
  const sa = a.split("/").slice(1);
  const sb = b.split("/").slice(1);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const rank = segmentRank(sa[i]) - segmentRank(sb[i]);
    if (rank !== 0) return rank;
    if (sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
  }
  return sa.length - sb.length;
}
