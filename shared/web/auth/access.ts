/**
 * Who may use a route, as the route itself declares it (deny by default).
 * Every route file exports `access` next to its `handler`:
 *
 *   export const access: RouteAccess = {
 *     GET: "viewer",
 *     DELETE: { role: "operator", audit: "topic.delete" },
 *   };
 *
 * or one level for every method (`export const access = "public"`). The
 * levels:
 *
 * - `public`: anyone, in every mode (login, logout, health, metrics);
 * - `open`: anyone while `FRESHET_AUTH=console` (a loopback host: the domain
 *   pages and APIs); with `FRESHET_AUTH=required` a viewer to read
 *   (GET/HEAD/OPTIONS) and an operator to change anything;
 * - `viewer`: a logged-in user of any role;
 * - `operator`: a logged-in operator. `audit` names the action a refused
 *   user is recorded under (e.g. `topic.delete`).
 *
 * HEAD follows GET. The check runs on the route the router matched
 * (route_gate.ts), never on a guess from the raw path; a route file without
 * a declaration for every method it answers stops the server at start-up
 * (`accessProblems`, called by route discovery).
 */
import { type Method, METHODS } from "../web_env.ts";
import type { AuthMode } from "./auth_config.ts";
import type { Role } from "./users.ts";

/** Who may use a route (see the module's documentation). */
export type AccessLevel = "public" | "open" | "viewer" | "operator";

/** Every level, weakest first. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ["public", "open", "viewer", "operator"];

/** One method's declaration: a level, or a level with the audit action of a refusal. */
export type MethodAccess = AccessLevel | { role: AccessLevel; audit?: string };

/** What a route exports as `access`: one level for every method, or one per method. */
export type RouteAccess = AccessLevel | Partial<Record<Method, MethodAccess>>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isLevel(value: unknown): value is AccessLevel {
  return (ACCESS_LEVELS as readonly unknown[]).includes(value);
}

/** The declaration for `method` (HEAD follows GET), or undefined when the route declares none. */
export function methodAccess(
  access: RouteAccess,
  method: string,
): { level: AccessLevel; audit?: string } | undefined {
  if (typeof access === "string") return { level: access };
  const entry = access[method as Method] ?? (method === "HEAD" ? access.GET : undefined);
  if (entry === undefined) return undefined;
  return typeof entry === "string" ? { level: entry } : { level: entry.role, audit: entry.audit };
}

/** The role `level` needs for `method` in `mode`, or undefined when anyone may. */
export function requiredRole(level: AccessLevel, method: string, mode: AuthMode): Role | undefined {
  switch (level) {
    case "public":
      return undefined;
    case "open":
      if (mode === "console") return undefined;
      return SAFE_METHODS.has(method) ? "viewer" : "operator";
    default:
      return level;
  }
}

/**
 * What is wrong with a route's `access` export, given the methods its
 * handler answers (`["*"]` for a function answering every method): a
 * missing declaration, an unknown level, or a method declared that the
 * handler does not answer. Empty when the declaration is complete.
 */
export function accessProblems(access: unknown, methods: readonly string[]): string[] {
  if (access === undefined) {
    return [
      `declares no access: export const access = "public" | "open" | "viewer" | "operator", ` +
      `or one per method, e.g. { GET: "viewer", POST: "operator" } (see shared/web/auth/access.ts)`,
    ];
  }
  const levelProblem = (value: unknown, where: string) =>
    `${where}: ${JSON.stringify(value)} is not one of ${ACCESS_LEVELS.join(", ")}`;
  if (typeof access === "string") return isLevel(access) ? [] : [levelProblem(access, "access")];
  if (typeof access !== "object" || access === null || Array.isArray(access)) {
    return ["access must be a level or an object of methods"];
  }
  const problems: string[] = [];
  if (methods.includes("*")) {
    problems.push("its handler answers every method, so access must be one level for all");
  }
  for (const [method, entry] of Object.entries(access)) {
    const level = typeof entry === "object" && entry !== null ? entry.role : entry;
    if (!(METHODS as readonly string[]).includes(method)) {
      problems.push(`access.${method} is not one of ${METHODS.join(", ")}`);
    } else if (!isLevel(level)) {
      problems.push(levelProblem(level, `access.${method}`));
    } else if (!methods.includes("*") && !methods.includes(method)) {
      problems.push(`access.${method} is declared but the route does not answer ${method}`);
    }
  }
  for (const method of methods) {
    if (method === "*" || method === "HEAD") continue;
    if (!(method in access)) problems.push(`access.${method} is missing (the route answers it)`);
  }
  return problems;
}
