/**
 * `GET /api/topics/:topic/messages` — one page of the message browser as
 * JSON (viewer; query: services/console/messages/browse_query.ts);
 * `download=1` answers it as a file to save (the page's export).
 *
 * `POST /api/topics/:topic/messages` `{key, value, headers, partition}`:
 * produces one message as the console principal (operator, audited) and
 * answers `{topic, partition, offset}`, or the broker's error.
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { parseProduceJson } from "../../../../services/console/produce/produce_input.ts";
import { produceMessage } from "../../../../services/console/produce/produce.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";
import { readPage } from "../../../../services/console/messages/web/read_page.ts";
import { browseRequest, pageJson } from "../../../../services/console/messages/web/page_json.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "message.produce" },
};

/** GET: a page; POST: produce. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const page = await readPage(ctx.services, browseRequest(topic, ctx.url), ctx.state.user);
    const query = new URLSearchParams(ctx.url.searchParams);
    const download = query.get("download") === "1";
    query.delete("download");
    const headers: HeadersInit = download
      ? { "content-disposition": `attachment; filename="${topic}-messages.json"` }
      : {};
    return Response.json(pageJson(page, query), { headers });
  },
  async POST(req, ctx) {
    const topic = ctx.params.topic;
    const parsed = parseProduceJson(await readJsonBody(req));
    if (!parsed.ok) return problemsResponse("nothing was produced", parsed.problems);
    const produced = await produceMessage(ctx, topic, parsed.value).catch((e) => {
      throw consoleHttpError(e, `producing to ${topic}`);
    });
    return Response.json(produced, { status: 201 });
  },
};
