/**
 * Route discovery: the `routes/` folder is walked and every route file is
 * imported when the app is created. There is no generated manifest on
 * purpose: nothing can go out of sync with the files, a new route needs no
 * build step, and the walk costs a few milliseconds at start-up. (Deno
 * type-checks routes through their tests and `deno check routes/`.)
 */
import { accessProblems } from "./auth/access.ts";
import { allowedMethods } from "./route_methods.ts";
import { isRouteFile, routePattern } from "./route_path.ts";
import { type AppModule, METHODS, type RouteModule } from "./route_types.ts";

/** One route file. */
export interface RouteEntry {
  /** Path relative to `routes/`, e.g. `api/events.ts`. */
  file: string;
  pattern: string;
  module: RouteModule;
  /** For an alias (route_aliases.ts): the canonical route's pattern, whose module this is. */
  aliasOf?: string;
}

/** The routes of an app, its optional `_404.tsx` page and `_app.tsx` shell. */
export interface RouteTable {
  routes: RouteEntry[];
  notFound?: RouteModule;
  /** `routes/_app.tsx`: the shell every page renders inside (Fresh's convention). */
  app?: AppModule;
}

async function* walk(dir: URL, prefix = ""): AsyncGenerator<string> {
  const entries = await Array.fromAsync(Deno.readDir(dir));
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory) yield* walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    else if (entry.isFile) yield `${prefix}${entry.name}`;
  }
}

/**
 * Checks a route module's exports; throws naming the file when they are
 * wrong, including a route that does not declare who may use each method
 * it answers (deny by default: such a server does not start).
 */
export function checkRouteModule(file: string, module: RouteModule): RouteModule {
  const { handler, default: page } = module;
  if (handler === undefined && page === undefined) {
    throw new Error(`routes/${file}: exports neither a handler nor a default page component`);
  }
  if (page !== undefined && typeof page !== "function") {
    throw new Error(`routes/${file}: the default export must be a component`);
  }
  if (handler !== undefined && typeof handler !== "function") {
    if (typeof handler !== "object" || handler === null) {
      throw new Error(`routes/${file}: handler must be a function or an object of methods`);
    }
    for (const [key, value] of Object.entries(handler)) {
      if (!(METHODS as readonly string[]).includes(key) || typeof value !== "function") {
        throw new Error(`routes/${file}: handler.${key} is not one of ${METHODS.join(", ")}`);
      }
    }
  }
  const problems = accessProblems(module.access, allowedMethods(module));
  if (problems.length > 0) throw new Error(`routes/${file}: ${problems.join("; ")}`);
  return module;
}

/** Imports the route files under `dir` (none when it does not exist). */
export async function loadRoutes(dir: URL): Promise<RouteTable> {
  const table: RouteTable = { routes: [] };
  try {
    await Deno.stat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return table;
    throw error;
  }
  for await (const file of walk(dir)) {
    if (/^_404\.(tsx|ts|jsx|js)$/.test(file)) {
      table.notFound = await import(new URL(file, dir).href);
      if (typeof table.notFound?.default !== "function") {
        throw new Error(`routes/${file}: must default-export a page component`);
      }
      continue;
    }
    if (/^_app\.(tsx|ts|jsx|js)$/.test(file)) {
      table.app = await import(new URL(file, dir).href);
      if (typeof table.app?.default !== "function") {
        throw new Error(`routes/${file}: must default-export the app shell component`);
      }
      continue;
    }
    if (!isRouteFile(file)) continue;
    const module = checkRouteModule(file, await import(new URL(file, dir).href));
    table.routes.push({ file, pattern: routePattern(file), module });
  }
  return table;
}
