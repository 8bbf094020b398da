/**
 * `POST /topics/{topic}` (Confluent REST Proxy v2): produces the body's
 * records to the topic, each to its own partition, its key's, or one chosen
 * round-robin. See docs/rest_proxy.md.
 */
import { envRestProxyConfig, handleProduce } from "../../shared/rest_proxy/mod.ts";
import type { Handlers } from "../../shared/web/mod.ts";

// REST_PROXY_TOPICS is read and checked when the app loads its routes, so a
// wrong value stops the server at start rather than failing every request.
envRestProxyConfig();

/** POST: produce records. */
export const handler: Handlers = {
  POST: (req, ctx) => handleProduce(req, ctx, { topic: ctx.params.topic }),
};
