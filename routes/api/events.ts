/**
 * `GET /api/events?topics=a,b&page=/monitor`: Server-Sent Events relaying
 * bus messages of those topics (all when absent), coalesced per
 * connection. A page opens one for all its islands (shared/web/live.ts);
 * `page` names it in the refusal a browser gets when it already holds its
 * share of streams (shared/web/client_streams.ts): a `refused` event for an
 * EventSource (which cannot read an error's body), a 429 otherwise.
 */
import { eventStream, type Handlers, HttpError, type RouteAccess } from "../../shared/web/mod.ts";
import { browserKey } from "../../shared/web/client_streams.ts";
import { refusedEventStream } from "../../shared/web/sse_refusal.ts";

const TOPIC = /^[A-Za-z0-9._-]{1,100}$/;
const MAX_TOPICS = 50;
const PAGE = /^\/[A-Za-z0-9._~%/:-]{0,200}$/;

/** The topics asked for, or undefined for all; 400 when one is malformed. */
function parseTopics(url: URL): Set<string> | undefined {
  const raw = url.searchParams.get("topics");
  if (raw === null || raw.trim() === "") return undefined;
  const topics = raw.split(",").map((t) => t.trim()).filter(Boolean);
  const bad = topics.find((t) => !TOPIC.test(t));
  if (bad !== undefined) throw new HttpError(400, `bad topic name ${JSON.stringify(bad)}`);
  if (topics.length > MAX_TOPICS) throw new HttpError(400, `at most ${MAX_TOPICS} topics`);
  return new Set(topics);
}

/** What the stream is, as a refusal names it. */
function describe(url: URL): string {
  const page = url.searchParams.get("page") ?? "";
  return PAGE.test(page) ? `live updates of ${page}` : "live updates";
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the event stream for the `topics` query parameter. */
export const handler: Handlers = {
  GET(req, ctx) {
    const { subscribe, coalesceMs, heartbeatMs, shutdown, clientStreams } = ctx.services;
    const topics = parseTopics(ctx.url);
    let slot;
    try {
      slot = clientStreams.acquire(browserKey(req), describe(ctx.url));
    } catch (error) {
      return refusedEventStream(req, error);
    }
    return eventStream({
      topics,
      subscribe,
      coalesceMs,
      heartbeatMs,
      signal: shutdown,
      onClose: slot.release,
    });
  },
};
