/**
 * The REST proxy as a service of the app: `POST /topics/{topic}` in
 * Confluent's REST Proxy v2 dialect (docs/rest_proxy.md), as the web
 * principal; its web part (topics allowed, metadata cache, batcher), its
 * variables, and Confluent's error shape on its paths, so its clients read
 * the kernel's errors (413, 405, 403) as they read its own.
 */
import { defineService } from "../../shared/service/define_service.ts";
import { REST_PROXY_ENV_NAMES } from "./config.ts";
import { KAFKA_V2 } from "./media.ts";
import { restProxyWeb } from "./rest_proxy_part.ts";

/** The REST proxy service. */
export const restProxyService = defineService({
  name: "rest_proxy",
  description: "Confluent-REST-Proxy-v2-compatible produce API (POST /topics/{topic}).",
  web: {
    env: REST_PROXY_ENV_NAMES,
    parts: [restProxyWeb],
    errorShapes: [{
      pathPrefix: "/topics/",
      respond: (error) =>
        Response.json({ error_code: error.status, message: error.message }, {
          status: error.status,
          headers: { "content-type": KAFKA_V2 },
        }),
    }],
  },
});
