/**
 * GET /api/topics/:topic/messages/:partition/:offset/value — a message's
 * whole value: UTF-8 text as `text/plain`, anything else as a download.
 * Never rendered as a document: `nosniff`, and a sandboxing CSP.
 */
import { HttpError } from "../../../../../../../shared/web/http_error.ts";
import type { Handlers, RouteAccess } from "../../../../../../../shared/web/mod.ts";
import { messageAt } from "../../../../../../../services/console/messages/web/message_at.ts";

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
    const { topic, partition, offset, found } = await messageAt(ctx);
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
