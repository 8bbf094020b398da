/**
 * `POST /api/topics/:topic/partitions` `{partitions: N}`: grows the topic
 * to N partitions (operator, audited; Kafka never shrinks a topic).
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { addPartitionsAction } from "../../../../services/console/topics/topic_actions.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "topic.partitions.add" } };

/** POST: add partitions. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const topic = ctx.params.topic;
    const body = (await readJsonBody(req)) as { partitions?: unknown } | null;
    const result = await addPartitionsAction(ctx, topic, body?.partitions).catch((e) => {
      throw consoleHttpError(e, `adding partitions to ${topic}`);
    });
    if (!result.ok) return problemsResponse("no partition was added", result.problems);
    return Response.json({ topic, partitions: result.value });
  },
};
