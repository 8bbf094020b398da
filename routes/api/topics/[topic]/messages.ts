/**
 * GET /api/topics/:topic/messages — one page of the message browser as
 * JSON (query: services/console/messages/browse_query.ts). `download=1`
 * answers the same page as a file to save (the page's export).
 */
import { readPage } from "../../../../services/console/messages/web/read_page.ts";
import { browseRequest, pageJson } from "../../../../services/console/messages/web/page_json.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import type { Handlers } from "../../../../shared/web/mod.ts";

/** GET: the page. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const page = await readPage(ctx.services, browseRequest(topic, ctx.url));
    const query = new URLSearchParams(ctx.url.searchParams);
    const download = query.get("download") === "1";
    query.delete("download");
    const headers: HeadersInit = download
      ? {
        "content-disposition": `attachment; filename="${topic}-messages.json"`,
      }
      : {};
    return Response.json(pageJson(page, query), { headers });
  },
};
