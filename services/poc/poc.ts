/**
 * The KRaft POC of seed 004: `POST /produce` sends five messages to
 * `primeiro_topico` (`chave-N` → `Esta é a mensagem via API número N.`, as
 * the seed's api.py does) and `GET /consume` reads every message of the
 * topic from the earliest offset, bounded in time and count.
 */
import type { Kafka, Producer } from "kafkajs";
import { cloudEventHeaders } from "../../shared/kafka/cloudevents.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { TOPIC_PREFIX_ENV, topicName } from "../../shared/kafka/names.ts";
import { withTimeout } from "../../shared/kafka/errors.ts";
import { HttpError } from "../../shared/web/http_error.ts";

/** Base name of the POC topic. */
export const POC_TOPIC = "primeiro_topico";
/** Messages one produce request sends. */
export const POC_MESSAGE_COUNT = 5;

/** The POC topic under `prefix`. */
export function pocTopic(prefix: string): string {
  return topicName({ [TOPIC_PREFIX_ENV]: prefix }, POC_TOPIC);
}

/** One message sent, and where Kafka put it. */
export interface SentMessage {
  key: string;
  value: string;
  partition: number;
  offset: number;
}

/**
 * Sends the five messages in order, one request each (so each one's
 * partition and offset are known), waiting at most `timeoutMs` in all.
 */
export function producePocMessages(
  producer: Producer,
  topic: string,
  options: { timeoutMs: number },
): Promise<SentMessage[]> {
  const send = async () => {
    const sent: SentMessage[] = [];
    for (let n = 1; n <= POC_MESSAGE_COUNT; n++) {
      const key = `chave-${n}`;
      const value = `Esta é a mensagem via API número ${n}.`;
      const headers = cloudEventHeaders({
        id: crypto.randomUUID(),
        type: "poc.message",
        source: "freshet/web",
        time: new Date().toISOString(),
      }, { "content-type": "text/plain; charset=utf-8" });
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
      sent.push({ key, value, partition: meta.partition, offset: Number(meta.baseOffset) });
    }
    return sent;
  };
  return withTimeout(
    send(),
    options.timeoutMs,
    () => new HttpError(504, `Kafka did not acknowledge within ${options.timeoutMs} ms`),
  );
}

/** One message read. */
export interface ReadPocMessage {
  key: string | null;
  value: string | null;
  partition: number;
  offset: number;
  timestamp: string;
}

/** What `GET /consume` answers. */
export interface PocConsumeResult {
  /** The values, as the seed's api.py returns them. */
  messages_read: (string | null)[];
  /** The same messages with their key and place in the log. */
  records: ReadPocMessage[];
  /** False when the time or count bound stopped the read before the end of the topic. */
  complete: boolean;
}

const text = new TextDecoder();

/** Reads the topic from the earliest offset to its current end, within the bounds. */
export async function consumePocMessages(
  kafka: Kafka,
  topic: string,
  options: { groupId: string; maxMessages: number; timeoutMs: number },
): Promise<PocConsumeResult> {
  const { messages, complete } = await withTimeout(
    readRange(kafka, {
      groupId: options.groupId,
      topics: [topic],
      from: "earliest",
      maxMessages: options.maxMessages,
      timeoutMs: options.timeoutMs,
    }),
    options.timeoutMs + 5_000,
    () => new HttpError(504, `Kafka did not answer within ${options.timeoutMs + 5_000} ms`),
  );
  const records = messages.map((m) => ({
    key: m.key,
    value: m.value === null ? null : text.decode(m.value),
    partition: m.partition,
    offset: m.offset,
    timestamp: new Date(m.timestamp).toISOString(),
  }));
  return { messages_read: records.map((r) => r.value), records, complete };
}
