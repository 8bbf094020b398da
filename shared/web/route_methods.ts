/** Which HTTP methods a route module answers, from its `handler` export. */
import type { RouteModule } from "./route_types.ts";

/** The methods a route answers (`["*"]` for a handler function answering every method). */
export function allowedMethods(module: RouteModule): string[] {
  const { handler } = module;
  if (typeof handler === "function") return ["*"];
  const methods = new Set<string>(Object.keys(handler ?? {}));
  if (!handler && module.default) methods.add("GET");
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods];
}
