/**
 * Kafka's internal topics are never changed from the console: no delete,
 * no produce (nor a redrive into one), no new partitions, no config
 * change, and no new topic under their `__` prefix. A topic is internal
 * when the broker's metadata marks it so (`isInternal`:
 * `__consumer_offsets`, `__transaction_state`) or when its name starts
 * with `__` (Kafka's prefix for its own topics: `__cluster_metadata`,
 * `__share_group_state`, …). This is the first line; the second is
 * kafka-acls.txt, which denies the `console` principal those operations on
 * the `__` prefix, so that even a bug here cannot do them.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import { audit } from "../../../shared/web/auth/mod.ts";
import type { ActionContext } from "../audited.ts";
import type { ConsoleKafka } from "../console_kafka.ts";
import { consoleWeb } from "../web/console_part.ts";

/** The prefix of Kafka's own topics. */
export const INTERNAL_PREFIX = "__";

/** Whether `topic`'s name is in Kafka's reserved `__` prefix. */
export function hasInternalName(topic: string): boolean {
  return topic.startsWith(INTERNAL_PREFIX);
}

/** Whether the broker marks `topic` internal (false for an unknown topic). */
export async function markedInternal(kafka: ConsoleKafka, topic: string): Promise<boolean> {
  // The kernel's Metadata read: KafkaJS's fails while one of the topic's partitions is offline.
  const { topics } = await readTopicMetadata(await kafka.brokerCluster(), [topic], { from: "any" });
  return topics.find((t) => t.name === topic)?.internal === true;
}

/** Whether `topic` is internal, by name or by the broker's metadata. */
export async function isInternalTopic(kafka: ConsoleKafka, topic: string): Promise<boolean> {
  return hasInternalName(topic) || await markedInternal(kafka, topic);
}

/** The 403 for `what` (e.g. `delete`) on the internal topic `topic`. */
export function internalTopicRefusal(topic: string, what: string): HttpError {
  return new HttpError(
    403,
    `${topic} is an internal topic of Kafka (its metadata marks it internal, or its name starts ` +
      `with ${INTERNAL_PREFIX}): the console never deletes, produces to, adds partitions to or ` +
      `re-configures one (refused: ${what})`,
  );
}

/**
 * Throws the 403 when `topic` is internal by name or by the broker's
 * metadata, after recording the refusal under `action` (e.g. `topic.delete`).
 */
export async function refuseInternalTopic(
  ctx: ActionContext,
  topic: string,
  action: string,
): Promise<void> {
  if (await isInternalTopic(ctx.services.part(consoleWeb).kafka, topic)) {
    refuseInternalName(ctx, topic, action);
  }
}

/** Records and throws the 403 for `action` on the internal topic `topic` (a new one: by name). */
export function refuseInternalName(ctx: ActionContext, topic: string, action: string): never {
  const refusal = internalTopicRefusal(topic, action);
  audit(ctx, { action, target: `topic:${topic}`, result: "refused", detail: refusal.message });
  throw refusal;
}
