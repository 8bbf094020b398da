/** GET /api/topics/:topic/messages/:partition/:offset — one message as JSON (404 when none). */
import { messageJson } from "../../../../../../services/console/messages/web/page_json.ts";
import type { Handlers, RouteAccess } from "../../../../../../shared/web/mod.ts";
import { messageAt } from "../../../../../../services/console/messages/web/message_at.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the message. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const { topic, found } = await messageAt(ctx);
    return Response.json(messageJson(topic, found.view));
  },
};
