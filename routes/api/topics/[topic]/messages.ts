/**
 * `POST /api/topics/:topic/messages` `{key, value, headers, partition}`:
 * produces one message as the console principal (operator, audited) and
 * answers `{topic, partition, offset}`, or the broker's error.
 */
import { type Handlers, problemsResponse, readJsonBody } from "../../../../shared/web/mod.ts";
import { parseProduceJson } from "../../../../services/console/produce/produce_input.ts";
import { produceMessage } from "../../../../services/console/produce/produce.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";

/** POST: produce. */
export const handler: Handlers = {
  async POST(req, ctx) {
    const topic = ctx.params.topic;
    const parsed = parseProduceJson(await readJsonBody(req));
    if (!parsed.ok) return problemsResponse("nothing was produced", parsed.problems);
    const produced = await produceMessage(ctx, topic, parsed.value).catch((e) => {
      throw consoleHttpError(e, `producing to ${topic}`);
    });
    return Response.json(produced, { status: 201 });
  },
};
