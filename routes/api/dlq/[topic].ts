/**
 * `GET /api/dlq/:topic` — a page of a dead-letter topic (the message
 * browser's query), each dead letter with its reason, origin and redrive
 * state.
 */
import { deadLetterPage, dlqTopicParam } from "../../../services/console/dlq/web/dlq_reads.ts";
import { browseRequest } from "../../../services/console/messages/web/page_json.ts";
import { topicParam } from "../../../services/console/messages/web/topic_param.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the page. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = dlqTopicParam(topicParam(ctx.params));
    const query = new URLSearchParams(ctx.url.searchParams);
    return Response.json(
      await deadLetterPage(ctx.services, browseRequest(topic, ctx.url), {
        query,
        base: `/api/dlq/${topic}`,
        user: ctx.state.user,
      }),
    );
  },
};
