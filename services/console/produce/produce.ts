/**
 * Produce from the console (operator): the message goes out through the
 * console principal's idempotent producer (acks=all) and the answer is the
 * partition and offset the broker gave it, or the broker's error. The
 * topic and partition are checked first, so a typo answers 404/400 at
 * once instead of waiting for metadata that never comes; Kafka's internal
 * topics are refused (topics/internal_topics.ts). Audited.
 */
import { Buffer } from "node:buffer";
import { HttpError } from "../../../shared/web/http_error.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { assertTopicExists } from "../topics/topic_detail.ts";
import { refuseInternalTopic } from "../topics/internal_topics.ts";
import type { ProduceInput } from "./produce_input.ts";

/** Where the message landed. */
export interface Produced {
  topic: string;
  partition: number;
  offset: number;
}

/** Sends `message` to `topic`; an HttpError with the broker's answer when it is refused. */
export async function produceMessage(
  ctx: ActionContext,
  topic: string,
  message: ProduceInput,
): Promise<Produced> {
  requireOperator(ctx, "message.produce", `topic:${topic}`);
  const kafka = ctx.services.console;
  const admin = await kafka.admin();
  await assertTopicExists(admin, topic);
  await refuseInternalTopic(ctx, topic, "message.produce");
  if (message.partition !== undefined) {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0].partitions.length;
    if (message.partition >= count) {
      throw new HttpError(400, `${topic} has partitions 0 to ${count - 1}`);
    }
  }
  return await audited(ctx, {
    action: "message.produce",
    target: `topic:${topic}`,
    params: {
      key: message.key,
      partition: message.partition ?? null,
      headers: Object.keys(message.headers),
      bytes: message.value === null ? null : Buffer.byteLength(message.value),
    },
    what: `producing to ${topic}`,
  }, async () => {
    const producer = await kafka.producer();
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [{
        key: message.key,
        value: message.value === null ? null : Buffer.from(message.value),
        headers: message.headers,
        partition: message.partition,
      }],
    });
    return { topic, partition: meta.partition, offset: Number(meta.baseOffset) };
  });
}
