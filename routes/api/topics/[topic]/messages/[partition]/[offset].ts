/** GET /api/topics/:topic/messages/:partition/:offset — one message as JSON (404 when none). */
import { HttpError } from "../../../../../../shared/web/http_error.ts";
import { readOne } from "../../../../../../services/console/messages/one_message.ts";
import { messageJson } from "../../../../../../services/console/messages/web/page_json.ts";
import { messageParams } from "../../../../../../services/console/messages/web/message_params.ts";
import { explainReadErrors } from "../../../../../../services/console/messages/web/read_errors.ts";
import { topicParam } from "../../../../../../services/console/messages/web/topic_param.ts";
import type { Handlers, RouteAccess } from "../../../../../../shared/web/mod.ts";
import { consoleWeb } from "../../../../../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the message. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const { partition, offset } = messageParams(ctx.params);
    const found = await explainReadErrors(() =>
      readOne(ctx.services.part(consoleWeb).messages.pages(), topic, partition, offset)
    );
    if (!found) {
      throw new HttpError(404, `no message at offset ${offset} of partition ${partition}`);
    }
    return Response.json(messageJson(topic, found.view));
  },
};
