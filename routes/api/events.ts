/**
 * `GET /api/events?topics=a,b`: Server-Sent Events relaying bus messages
 * of those topics (all when absent), coalesced per connection.
 */
import { eventStream, type Handlers, HttpError, type RouteAccess } from "../../shared/web/mod.ts";

const TOPIC = /^[A-Za-z0-9._-]{1,100}$/;
const MAX_TOPICS = 50;

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

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the event stream for the `topics` query parameter. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const { subscribe, coalesceMs, heartbeatMs, shutdown } = ctx.services;
    return eventStream({
      topics: parseTopics(ctx.url),
      subscribe,
      coalesceMs,
      heartbeatMs,
      signal: shutdown,
    });
  },
};
