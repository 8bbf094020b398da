/**
 * The access matrix of the route table, for tests/access_matrix_test.ts:
 * the real routes' declarations, a concrete path for each pattern, every
 * spelling of that path an attacker would try, and the outcome each user
 * should get — derived here, independently of the gate's code, from the
 * rules written in shared/web/auth/access.ts.
 */
import { methodAccess, type RouteAccess } from "../shared/web/auth/access.ts";
import type { RouteEntry, RouteTable } from "../shared/web/route_files.ts";
import { allowedMethods } from "../shared/web/route_methods.ts";
import type { HandlerFn, Handlers, RouteModule } from "../shared/web/route_types.ts";

/** Who asks. */
export type Who = "anonymous" | "viewer" | "operator";
/** Every `Who`. */
export const EVERYONE: readonly Who[] = ["anonymous", "viewer", "operator"];

/** What a request should get. */
export type Outcome =
  | { kind: "reached" }
  | { kind: "login"; status: 303 | 401 }
  | { kind: "forbidden" }
  | { kind: "not-allowed" }
  | { kind: "not-found" };

/** Values given to `:param` segments. */
const PARAM_VALUES: Record<string, string> = {
  topic: "t1",
  group: "g1",
  id: "1",
  partition: "0",
  offset: "0",
};

/** A concrete path for a route pattern, e.g. `/api/topics/:topic` → `/api/topics/t1`. */
export function concretePath(pattern: string): string {
  return pattern.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => PARAM_VALUES[name] ?? "x1");
}

/** One spelling of a path and what it must lead to. */
export interface Variant {
  name: string;
  path: string;
  /** `same`: the canonical path's route and outcome; `not-found`: no route (404). */
  expect: "same" | "not-found";
}

function encodeChar(c: string, upper = false): string {
  const hex = c.charCodeAt(0).toString(16);
  return `%${upper ? hex.toUpperCase() : hex}`;
}

/**
 * Every spelling of `path` (the concrete path of `pattern`) the matrix
 * tries: percent-encoded letters, double encoding, mixed case, a trailing
 * slash, `//`, `/./`, `..` (plain and encoded), a `;` suffix, an encoded
 * slash and a backslash.
 */
export function pathVariants(pattern: string, path: string): Variant[] {
  const segments = path.split("/").slice(1);
  const patternSegments = pattern.split("/").slice(1);
  const lastIsParam = patternSegments.at(-1)?.startsWith(":") ?? false;
  const variants: Variant[] = [];
  const first = segments[0] ?? "";
  const rest = path.slice(1 + first.length); // "/…" after the first segment, or ""
  if (first !== "") {
    variants.push(
      {
        name: "encoded letter",
        path: `/${encodeChar(first[0])}${first.slice(1)}${rest}`,
        expect: "same",
      },
      {
        name: "encoded letter (upper-case hex, last letter)",
        path: `/${first.slice(0, -1)}${encodeChar(first.at(-1)!, true)}${rest}`,
        expect: "same",
      },
      {
        name: "every letter encoded",
        path: `/${[...first].map((c) => encodeChar(c)).join("")}${rest}`,
        expect: "same",
      },
      {
        name: "double encoding",
        path: `/%25${first.charCodeAt(0).toString(16)}${first.slice(1)}${rest}`,
        expect: "not-found",
      },
      {
        name: "mixed case",
        path: `/${first[0].toUpperCase()}${first.slice(1)}${rest}`,
        expect: "not-found",
      },
      { name: "trailing slash", path: `${path}/`, expect: "not-found" },
      { name: "double slash in front", path: `/${path}`, expect: "not-found" },
      { name: "; suffix on the first segment", path: `/${first};x${rest}`, expect: "not-found" },
    );
    if (rest) {
      variants.push(
        { name: "double slash inside", path: `/${first}/${rest}`, expect: "not-found" },
        { name: "encoded slash", path: `/${first}%2F${rest.slice(1)}`, expect: "not-found" },
      );
    }
  }
  variants.push(
    { name: "/./", path: `/.${path}`, expect: "same" },
    { name: "..", path: `/x1/..${path}`, expect: "same" },
    { name: "encoded ..", path: `/x1/%2e%2E${path}`, expect: "same" },
    { name: "/console/.. in front", path: `/console/..${path}`, expect: "same" },
    { name: "backslash", path: path.replaceAll("/", "\\").replace(/^\\/, "/"), expect: "same" },
    {
      name: "; suffix",
      path: `${path};x`,
      expect: lastIsParam ? "same" : "not-found",
    },
  );
  // A variant that spells the canonical path itself is not a variant.
  return variants.filter((v) => v.path !== path && !(first === "" && v.name === "backslash"));
}

/**
 * Whether `path`, spelled as sent, is another route's own path: a `;x`
 * suffix makes `/orders/clients;x` an order id that `/orders/:id` takes.
 * Such a spelling is that route's case (its own rows test it), not a
 * misspelling of the first route.
 */
export function takenByAnotherRoute(
  patterns: readonly string[],
  own: string,
  path: string,
): boolean {
  const segments = path.split("/");
  return patterns.some((pattern) => {
    if (pattern === own || !pattern.includes(":")) return false;
    const parts = pattern.split("/");
    return parts.length === segments.length &&
      parts.every((part, i) =>
        part.startsWith(":") ? /^[^/%]+$/.test(segments[i]) : part === segments[i]
      );
  });
}

/** The role a declaration needs, as access.ts documents it. */
function neededRole(
  access: RouteAccess,
  method: string,
  mode: "console" | "required",
): "none" | "viewer" | "operator" {
  const declared = methodAccess(access, method)!;
  switch (declared.level) {
    case "public":
      return "none";
    case "open":
      if (mode === "console") return "none";
      return ["GET", "HEAD", "OPTIONS"].includes(method) ? "viewer" : "operator";
    default:
      return declared.level;
  }
}

/** Whether the kernel answers `path` in JSON (error_response.ts: `/api/`, `/v1/`). */
function jsonPath(path: string): boolean {
  return path.startsWith("/api/") || path.startsWith("/v1/");
}

/** What `who` gets for `method path` on the route `entry` in `mode`. */
export function expectedOutcome(
  entry: RouteEntry,
  method: string,
  who: Who,
  mode: "console" | "required",
  path: string,
): Outcome {
  const methods = allowedMethods(entry.module);
  if (!methods.includes("*") && !methods.includes(method)) return { kind: "not-allowed" };
  const needed = neededRole(entry.module.access!, method, mode);
  if (needed === "none") return { kind: "reached" };
  if (who === "anonymous") {
    const page = (method === "GET" || method === "HEAD") && !jsonPath(path);
    return { kind: "login", status: page ? 303 : 401 };
  }
  if (needed === "operator" && who === "viewer") return { kind: "forbidden" };
  return { kind: "reached" };
}

/** The methods the matrix sends to a route: those it answers, and one it does not. */
export function methodsToTry(module: RouteModule): { answered: string[]; other?: string } {
  const methods = allowedMethods(module);
  if (methods.includes("*")) return { answered: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] };
  const other = ["PUT", "PATCH", "DELETE", "POST"].find((m) => !methods.includes(m));
  return { answered: methods, other };
}

/**
 * The route table with every handler replaced by a probe answering
 * `{reached: pattern, method}`: the access declarations, the patterns and
 * the methods stay the real ones.
 */
export function probeTable(table: RouteTable): RouteTable {
  const routes = table.routes.map((entry): RouteEntry => {
    const probe: HandlerFn = (req) => Response.json({ reached: entry.pattern, method: req.method });
    const methods = allowedMethods(entry.module);
    const handler: HandlerFn | Handlers = methods.includes("*")
      ? probe
      : Object.fromEntries(methods.filter((m) => m !== "HEAD").map((m) => [m, probe]));
    return { ...entry, module: { access: entry.module.access, handler } };
  });
  return { routes, notFound: table.notFound, app: table.app };
}
