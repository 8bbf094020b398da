/**
 * A stream refused before it started (a 429 for want of a slot, a 404): an
 * `EventSource` cannot read an error response's body, so a client asking
 * for `text/event-stream` gets the refusal as one `error` event
 * `{status, message}` (the page shows it; `retry` a day, so the browser
 * does not hammer the server: the page decides when to try again); any
 * other client gets the error itself (e.g. a 429 JSON for curl).
 */
import { HttpError } from "./http_error.ts";

/** The refusal `error` as `req` can read it; rethrows what is not an HttpError. */
export function refusedEventStream(req: Request, error: unknown): Response {
  const accept = req.headers.get("accept") ?? "";
  if (!(error instanceof HttpError) || !accept.includes("text/event-stream")) throw error;
  const data = JSON.stringify({ status: error.status, message: error.message });
  return new Response(`retry: 86400000\nevent: error\ndata: ${data}\n\n`, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
    },
  });
}
