/**
 * GET /api/topics/:topic/messages/tail[?partition=N] — live tail as
 * Server-Sent Events: `messages` events `{messages, skipped}` with at most
 * about 20 messages a second (the rest counted in `skipped`), until the
 * client closes the stream.
 */
import { HttpError } from "../../../../../shared/web/http_error.ts";
import { checkTopic } from "../../../../../services/console/messages/web/read_page.ts";
import { refusedStream } from "../../../../../services/console/messages/web/event_stream.ts";
import { tailStream } from "../../../../../services/console/messages/web/streams.ts";
import { topicParam } from "../../../../../services/console/messages/web/topic_param.ts";
import type { Handlers, RouteAccess } from "../../../../../shared/web/mod.ts";
import { browserKey } from "../../../../../shared/web/client_streams.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the tail's event stream. */
export const handler: Handlers = {
  async GET(req, ctx) {
    const topic = topicParam(ctx.params);
    const text = ctx.url.searchParams.get("partition") ?? "";
    const partition = text === "" || text === "all" ? undefined : Number(text);
    if (partition !== undefined && !(Number.isInteger(partition) && partition >= 0)) {
      throw new HttpError(400, "partition: expected a partition number or all");
    }
    const partitions = await checkTopic(ctx.services, topic);
    if (partition !== undefined && !partitions.includes(partition)) {
      throw new HttpError(400, `topic ${topic} has no partition ${partition}`);
    }
    try {
      return tailStream(ctx.services, topic, {
        partition,
        user: ctx.state.user,
        browser: browserKey(req),
      });
    } catch (error) {
      return refusedStream(req, error);
    }
  },
};
