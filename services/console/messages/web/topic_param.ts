/** The `:topic` of a console route, checked against Kafka's rule for topic names. */
import { HttpError } from "../../../../shared/web/http_error.ts";
import { TOPIC_NAME } from "../browse_query.ts";

/** The topic named by the route, or 400 when no Kafka topic can have that name. */
export function topicParam(params: Record<string, string>): string {
  const topic = params.topic ?? "";
  if (!TOPIC_NAME.test(topic)) {
    throw new HttpError(
      400,
      `not a Kafka topic name: ${
        JSON.stringify(topic.slice(0, 300))
      } (letters, digits, '.', '_' and '-', at most 249)`,
    );
  }
  return topic;
}
