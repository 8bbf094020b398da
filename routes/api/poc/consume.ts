/**
 * `GET /api/poc/consume` (seed 004's `GET /consume`, an alias: services/poc/mod.ts): every message of
 * `primeiro_topico` from the earliest offset, as `{messages_read: [...]}`,
 * read with a fresh `web-poc-<uuid>` group; at most 1000 messages and 5 s,
 * so it never hangs (an empty topic answers at once with `[]`).
 */
import { kafkaHttpError } from "../../../shared/web/kafka_http_error.ts";
import { consumePocMessages, pocTopic } from "../../../services/poc/poc.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: read the topic. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = pocTopic(ctx.services.topicPrefix);
    try {
      const result = await consumePocMessages(ctx.services.kafka.client, topic, {
        groupId: `web-poc-${crypto.randomUUID()}`,
        maxMessages: 1_000,
        timeoutMs: 5_000,
      });
      return Response.json({ status: "Success", topic, ...result }, {
        headers: { "cache-control": "no-store" },
      });
    } catch (error) {
      throw kafkaHttpError(error, {
        doing: `reading ${topic}`,
        principal: "web",
        chosenBy: "server",
      });
    }
  },
};
