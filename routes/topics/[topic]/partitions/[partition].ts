/**
 * `POST /topics/{topic}/partitions/{partition}` (Confluent REST Proxy v2):
 * produces the body's records to that one partition. See docs/rest_proxy.md.
 */
import { handleProduce } from "../../../../services/rest_proxy/mod.ts";
import type { Handlers, RouteAccess } from "../../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: produce records to the partition. */
export const handler: Handlers = {
  POST: (req, ctx) =>
    handleProduce(req, ctx, { topic: ctx.params.topic, partition: ctx.params.partition }),
};
