/**
 * GET /api/topics/:topic/messages/:partition/:offset/value — a message's
 * whole value: UTF-8 text as `text/plain`, anything else as a download.
 * Never rendered as a document: `nosniff`, and a sandboxing CSP.
 */
import { HttpError } from "../../../../../../../shared/web/http_error.ts";
import { readOne } from "../../../../../../../services/console/messages/one_message.ts";
import { messageParams } from "../../../../../../../services/console/messages/web/message_params.ts";
import { explainReadErrors } from "../../../../../../../services/console/messages/web/read_errors.ts";
import { topicParam } from "../../../../../../../services/console/messages/web/topic_param.ts";
import type { Handlers, RouteAccess } from "../../../../../../../shared/web/mod.ts";
import { consoleWeb } from "../../../../../../../services/console/web/console_part.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the value's bytes. */
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
    if (found.value === null) throw new HttpError(404, "this message is a tombstone: no value");
    const text = isUtf8(found.value);
    return new Response(found.value, {
      headers: {
        "content-type": text ? "text/plain; charset=utf-8" : "application/octet-stream",
        "content-disposition": `${
          text ? "inline" : "attachment"
        }; filename="${topic}-${partition}-${offset}.${text ? "txt" : "bin"}"`,
        "content-security-policy": "sandbox; default-src 'none'",
      },
    });
  },
};
