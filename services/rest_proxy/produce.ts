/**
 * Sends one request's records in one `producer.send` and reports, for each
 * record in order, where it landed or why it failed, as the REST Proxy v2
 * does (`{partition, offset, error_code, error}`).
 *
 * Partitions are chosen here, with KafkaJS's DefaultPartitioner (murmur2 of
 * the key bytes, as Java's; round-robin without a key; an explicit partition
 * wins), so each record's offset is known from its partition's base offset
 * and its place in the batch.
 */
import { type Message, Partitioners, type PartitionMetadata } from "kafkajs";
import { cloudEventHeaders } from "../../shared/kafka/cloudevents.ts";
import { withTimeout } from "../../shared/kafka/errors.ts";
import { isRetriableKafkaError, RECORD_ERROR } from "./errors.ts";
import type { EmbeddedFormat } from "./media.ts";
import type { ProduceRecord } from "./records.ts";
import type { FirstOffsets } from "./send_batcher.ts";

/** Where one record landed, or why it did not. */
export interface RecordOffset {
  partition: number | null;
  offset: number | null;
  error_code: number | null;
  error: string | null;
}

/** A partitioner as KafkaJS builds them. */
export type Partitioner = ReturnType<typeof Partitioners.DefaultPartitioner>;

/** `ce_source` of records produced through the REST proxy. */
export const REST_PROXY_SOURCE = "freshet/rest-proxy";

/** Options of `produceRecords`. */
export interface ProduceRecordsOptions {
  /** The Kafka topic (prefix applied). */
  topic: string;
  /** The CloudEvents type of the records: the topic as the URL names it. */
  type: string;
  format: EmbeddedFormat;
  /** The topic's partitions, sorted by id. */
  partitions: PartitionMetadata[];
  partitioner: Partitioner;
  /** Partition every record goes to (the partition endpoint). */
  partition?: number;
  /** Longest wait for Kafka's acknowledgement. */
  timeoutMs: number;
}

/** What `produceRecords` reports besides the offsets. */
export interface ProduceOutcome {
  offsets: RecordOffset[];
  /** The send's failure, if it failed (every record sent reports it). */
  failure?: unknown;
}

const CONTENT_TYPES: Record<EmbeddedFormat, string> = {
  json: "application/json",
  binary: "application/octet-stream",
  avro: "application/avro",
  protobuf: "application/protobuf",
  jsonschema: "application/json",
};

function failed(error_code: number, error: string): RecordOffset {
  return { partition: null, offset: null, error_code, error };
}

/** Sends messages (partitions chosen) and tells where each partition's first one landed. */
export type SendMessages = (topic: string, messages: Message[]) => Promise<FirstOffsets>;

/** Produces `records` (acks=all through the idempotent producer) and reports each one. */
export async function produceRecords(
  send: SendMessages,
  records: ProduceRecord[],
  options: ProduceRecordsOptions,
): Promise<ProduceOutcome> {
  const { topic, partitions } = options;
  const count = partitions.length;
  const offsets: (RecordOffset | undefined)[] = new Array(records.length);
  const messages: Message[] = [];
  const sent: { index: number; partition: number }[] = [];
  const time = new Date().toISOString();
  const contentType = { "content-type": CONTENT_TYPES[options.format] };
  records.forEach((record, index) => {
    const explicit = options.partition ?? record.partition;
    if (explicit !== undefined && explicit >= count) {
      offsets[index] = failed(
        RECORD_ERROR.nonRetriable,
        `Invalid partition given with record: ${explicit} is not in the range [0...${count}).`,
      );
      return;
    }
    const message: Message = {
      key: record.key,
      value: record.value,
      partition: explicit,
      headers: cloudEventHeaders({
        id: crypto.randomUUID(),
        type: options.type,
        source: REST_PROXY_SOURCE,
        time,
      }, contentType),
    };
    message.partition = options.partitioner({ topic, partitionMetadata: partitions, message });
    messages.push(message);
    sent.push({ index, partition: message.partition });
  });
  if (messages.length === 0) return { offsets: offsets as RecordOffset[] };

  try {
    const next = await withTimeout(
      send(topic, messages),
      options.timeoutMs,
      () =>
        Object.assign(
          new Error(
            `Kafka did not acknowledge within ${options.timeoutMs} ms (the records may still be written)`,
          ),
          { retriable: true },
        ),
    );
    for (const { index, partition } of sent) {
      const offset = next.get(partition);
      if (offset === undefined) {
        // KafkaJS skips, silently, a partition its producer's metadata does not list yet
        // (one added to the topic less than its metadata age ago): not sent, worth a retry.
        offsets[index] = failed(
          RECORD_ERROR.retriable,
          `Partition ${partition} of ${topic} is not in the producer's metadata yet ` +
            "(added recently?); the record was not sent, retry later",
        );
        continue;
      }
      next.set(partition, offset + 1);
      offsets[index] = { partition, offset, error_code: null, error: null };
    }
    return { offsets: offsets as RecordOffset[] };
  } catch (error) {
    const code = isRetriableKafkaError(error) ? RECORD_ERROR.retriable : RECORD_ERROR.nonRetriable;
    const message = error instanceof Error ? error.message : String(error);
    for (const { index } of sent) offsets[index] = failed(code, message);
    return { offsets: offsets as RecordOffset[], failure: error };
  }
}
