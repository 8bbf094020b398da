/**
 * `POST /topics/{topic}/partitions/{partition}` (Confluent REST Proxy v2):
 * produces the body's records to that one partition. See docs/rest_proxy.md.
 */
import { handleProduce } from "../../../../services/rest_proxy/mod.ts";
import type { Handlers } from "../../../../shared/web/mod.ts";

/** POST: produce records to the partition. */
export const handler: Handlers = {
  POST: (req, ctx) =>
    handleProduce(req, ctx, { topic: ctx.params.topic, partition: ctx.params.partition }),
};
