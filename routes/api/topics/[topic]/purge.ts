/**
 * `GET /api/topics/:topic/purge?partition=&before=offset|timestamp|end&offset=&timestamp=`:
 * what a purge would delete, per partition and in all (viewer; changes
 * nothing). `POST /api/topics/:topic/purge` `{partition, before, offset,
 * timestamp, confirm}`: deletes those records (DeleteRecords; operator,
 * audited as `topic.purge`), `confirm` repeating the topic's name;
 * refused on Kafka's internal topics (403). See docs/operate.md.
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { parsePurge } from "../../../../services/console/purge/purge_input.ts";
import { previewPurge, purgeAction } from "../../../../services/console/purge/purge_action.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "topic.purge" },
};

/** GET: the plan; POST: the purge. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const parsed = parsePurge(Object.fromEntries(ctx.url.searchParams));
    if (!parsed.ok) return problemsResponse("bad purge", parsed.problems);
    return Response.json(await previewPurge(ctx, topic, parsed.value), {
      headers: { "cache-control": "no-store" },
    });
  },
  async POST(req, ctx) {
    const topic = topicParam(ctx.params);
    const raw = await readJsonBody(req);
    const body = raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
    const parsed = parsePurge(body);
    if (!parsed.ok) return problemsResponse("nothing was purged", parsed.problems);
    return Response.json(await purgeAction(ctx, topic, parsed.value, body.confirm));
  },
};
