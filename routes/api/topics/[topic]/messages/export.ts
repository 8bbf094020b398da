/**
 * `GET /api/topics/:topic/messages/export?format=ndjson|csv&…`: every
 * message of the browser's query (its filters, partition, start) to the end
 * of the range, streamed as a download within the search budgets; the last
 * line says how it ended and, if not at the end, the URL that exports the
 * rest (viewer). It takes a stream slot as a search does (a 429 naming the
 * holders when none is free) and is audited (`message.export`) when it
 * ends. See docs/operate.md.
 */
import type { Handlers, RouteAccess } from "../../../../../shared/web/mod.ts";
import { audit } from "../../../../../shared/web/auth/mod.ts";
import { topicParam } from "../../../../../services/console/messages/web/topic_param.ts";
import { checkTopic } from "../../../../../services/console/messages/web/read_page.ts";
import { explainReadErrors } from "../../../../../services/console/messages/web/read_errors.ts";
import { exportStream } from "../../../../../services/console/export/export_stream.ts";
import { exportRequest, resumeUrl } from "../../../../../services/console/export/export_request.ts";
import { consoleWeb } from "../../../../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

const TYPES = { ndjson: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" };

/** GET: the export. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const { request, format } = exportRequest(topic, ctx.url);
    await checkTopic(ctx.services, topic);
    const own = ctx.services.part(consoleWeb).messages.open("search", topic, ctx.state.user);
    let body: ReadableStream<Uint8Array>;
    try {
      body = await explainReadErrors(() =>
        exportStream(own.client, request, {
          format,
          resumeUrl: (positions) => resumeUrl(ctx.url, positions),
          onEnd(end) {
            void own.close();
            if (ctx.services.shutdown.aborted) return; // the server is going: its database too
            audit(ctx, {
              action: "message.export",
              target: `topic:${topic}`,
              result: end.stop === "error" ? "error" : "ok",
              detail: {
                format,
                query: ctx.url.search,
                stop: end.stop,
                exported: end.exported,
                scanned: end.scanned,
                elapsedMs: end.elapsedMs,
                positions: end.positions,
              },
            });
          },
        })
      );
    } catch (error) {
      await own.close();
      throw error;
    }
    return new Response(body, {
      headers: {
        "content-type": TYPES[format],
        "content-disposition": `attachment; filename="${topic}-export.${format}"`,
        "cache-control": "no-store",
      },
    });
  },
};
