/**
 * `POST /api/poc/produce` (seed 004's `POST /produce`, an alias: services/poc/mod.ts): sends five messages
 * to `primeiro_topico` as the `web` principal and answers with each one's
 * partition and offset.
 */
import { kafkaHttpError } from "../../../shared/web/kafka_http_error.ts";
import { pocTopic, producePocMessages } from "../../../services/poc/poc.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: produce the five messages. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    const topic = pocTopic(ctx.services.topicPrefix);
    try {
      const producer = await ctx.services.kafka.producer();
      const sent = await producePocMessages(producer, topic, { timeoutMs: 10_000 });
      return Response.json({ status: "Success", topic, messages_sent: sent });
    } catch (error) {
      throw kafkaHttpError(error, {
        doing: `producing to ${topic}`,
        principal: "web",
        chosenBy: "server",
      });
    }
  },
};
