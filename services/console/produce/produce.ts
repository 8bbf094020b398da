/**
 * Produce from the console (operator): the message goes out through the
 * console principal's idempotent producer (acks=all) and the answer is the
 * partition and offset the broker gave it, or the broker's error. The
 * topic and partition are checked first, so a typo answers 404/400 at
 * once instead of waiting for metadata that never comes; Kafka's internal
 * topics are refused (topics/internal_topics.ts). With a Schema
 * Registry `subject`, the value (JSON) is encoded with the subject's latest
 * schema in the registry's wire format, as a Java producer with
 * Confluent's serializer would write it. Audited.
 */
import { Buffer } from "node:buffer";
import { keyPartition } from "../../../shared/kafka/key_partition.ts";
import { HttpError } from "../../../shared/web/http_error.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { assertTopicExists } from "../topics/topic_detail.ts";
import { refuseInternalTopic } from "../topics/internal_topics.ts";
import type { ProduceInput } from "./produce_input.ts";
import { schemaValuesFromEnv } from "../../../shared/schema/schema_env.ts";
import { consoleWeb } from "../web/console_part.ts";

/** The value to send: as given, or encoded with `subject`'s latest schema. */
async function encodedValue(message: ProduceInput): Promise<Uint8Array | null> {
  if (message.value === null) return null;
  if (!message.subject) return new TextEncoder().encode(message.value);
  const values = schemaValuesFromEnv();
  if (!values) {
    throw new HttpError(400, "no Schema Registry is configured (SCHEMA_REGISTRY_URL)");
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value);
  } catch (error) {
    throw new HttpError(400, `the value must be JSON to encode it: ${(error as Error).message}`);
  }
  const latest = await values.client.version(message.subject, "latest").catch((error) => {
    throw new HttpError(
      (error as { status?: number }).status === 404 ? 404 : 502,
      (error as Error).message,
    );
  });
  try {
    return await values.encode(latest.id, json, message.message);
  } catch (error) {
    throw new HttpError(
      422,
      `the value does not fit ${message.subject} version ${latest.version} (schema ${latest.id}): ${
        (error as Error).message
      }`,
    );
  }
}

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
  const kafka = ctx.services.part(consoleWeb).kafka;
  const admin = await kafka.admin();
  await assertTopicExists(admin, topic);
  await refuseInternalTopic(ctx, topic, "message.produce");
  if (message.partition !== undefined || message.key !== null) {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0].partitions.length;
    if (message.partition !== undefined && message.partition >= count) {
      throw new HttpError(400, `${topic} has partitions 0 to ${count - 1}`);
    }
    // Where it would go: the partition asked for, or the one its key hashes to (the
    // producer's partitioner). KafkaJS would retry an offline one for ~30 s: said at once.
    const target = message.partition ?? keyPartition(message.key!, count);
    const chosen = topics[0].partitions.find((p) => p.partitionId === target);
    if (chosen && chosen.leader < 0) {
      throw new HttpError(
        503,
        `producing to ${topic}: ${
          message.partition === undefined
            ? `the key hashes to partition ${target}, which`
            : `partition ${target}`
        } has no leader (offline: the brokers holding it are down). ` +
          (message.partition === undefined
            ? "A keyed record must go there to keep its key's order; try again once the brokers are back."
            : "Choose another partition, or leave it to the partitioner, or try again once the brokers are back."),
      );
    }
  }
  const value = await encodedValue(message);
  return await audited(ctx, {
    action: "message.produce",
    target: `topic:${topic}`,
    params: {
      key: message.key,
      partition: message.partition ?? null,
      headers: Object.keys(message.headers),
      bytes: value === null ? null : value.byteLength,
      ...(message.subject ? { subject: message.subject } : {}),
    },
    what: `producing to ${topic}`,
  }, async () => {
    const producer = await kafka.producer();
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [{
        key: message.key,
        value: value === null ? null : Buffer.from(value),
        headers: message.headers,
        partition: message.partition,
      }],
    });
    return { topic, partition: meta.partition, offset: Number(meta.baseOffset) };
  });
}
