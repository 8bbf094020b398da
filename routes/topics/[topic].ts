/**
 * `POST /topics/{topic}` (Confluent REST Proxy v2): produces the body's
 * records to the topic, each to its own partition, its key's, or one chosen
 * round-robin. See docs/rest_proxy.md.
 */
import { handleProduce } from "../../services/rest_proxy/mod.ts";
import type { Handlers, RouteAccess } from "../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: produce records. */
export const handler: Handlers = {
  POST: (req, ctx) => handleProduce(req, ctx, { topic: ctx.params.topic }),
};
