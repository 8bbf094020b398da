/**
 * GET /api/topics/:topic/messages/search — a filtered search as
 * Server-Sent Events: `progress` (scanned, matched, elapsedMs, partitions
 * with their positions) a few times a second, then `page` (the JSON of
 * GET /api/topics/:topic/messages) or `error`. Closing the stream cancels
 * the search.
 */
import { checkTopic } from "../../../../../services/console/messages/web/read_page.ts";
import { browseRequest } from "../../../../../services/console/messages/web/page_json.ts";
import { refusedStream } from "../../../../../services/console/messages/web/event_stream.ts";
import { searchStream } from "../../../../../services/console/messages/web/streams.ts";
import { topicParam } from "../../../../../services/console/messages/web/topic_param.ts";
import type { Handlers, RouteAccess } from "../../../../../shared/web/mod.ts";
import { browserKey } from "../../../../../shared/web/client_streams.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the search's event stream. */
export const handler: Handlers = {
  async GET(req, ctx) {
    const topic = topicParam(ctx.params);
    const request = browseRequest(topic, ctx.url);
    await checkTopic(ctx.services, topic);
    try {
      return searchStream(
        ctx.services,
        request,
        new URLSearchParams(ctx.url.searchParams),
        { user: ctx.state.user, browser: browserKey(req) },
      );
    } catch (error) {
      return refusedStream(req, error);
    }
  },
};
