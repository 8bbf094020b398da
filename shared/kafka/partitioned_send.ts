/**
 * Every send split so that one KafkaJS send call writes one partition.
 *
 * KafkaJS 2.2.4 loses acknowledged messages when a partition's leader dies
 * during a send that spans several leaders: its retry keeps the answers
 * it already has per broker, and when the dead leader's partitions move
 * to a broker that had already answered for its own partitions, their
 * messages are never sent again — yet the send resolves (measured here:
 * ~90 of 20,000 acknowledged messages missing after a broker was killed).
 * With one partition per call, a retry can only go to that partition's
 * new leader, which has no answer yet, so it is sent.
 *
 * A keyed message goes where KafkaJS's DefaultPartitioner would put it
 * (murmur2 of the key, as Java does); a message without key or partition
 * takes the topic's partitions in turn. Partition counts come from the
 * cluster's metadata, cached for a minute. A cluster of one broker has no
 * other leader to move to: its sends are not split (one request, as before).
 *
 * KafkaJS also drops, silently, the messages of a partition its producer's
 * own metadata does not know yet (a partition just added: it refreshes its
 * metadata every 5 minutes), and resolves the send. Found by the fault
 * campaign: 20 orders and 94 demands acknowledged and never written. A send
 * whose answer lacks a partition it carried messages for now fails with
 * PartitionUnknownError (retriable; nothing of that partition was sent),
 * and the producers refresh their metadata every 10 s.
 */
import type {
  Kafka,
  Message,
  Producer,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata,
  Transaction,
} from "kafkajs";
import { keyPartition } from "./key_partition.ts";
import type { CompressionCodec } from "./codecs/codecs.ts";
import { kafkaJsCompression } from "./kafkajs_codecs.ts";

const METADATA_TTL_MS = 60_000;

/** Partition counts of topics and the cluster's size, read through an admin client of `kafka`. */
class PartitionCounts {
  #kafka: Kafka;
  #counts = new Map<string, { count: number; at: number }>();
  #brokers?: { count: number; at: number };
  #turns = new Map<string, number>();

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  async #withAdmin<T>(fn: (admin: ReturnType<Kafka["admin"]>) => Promise<T>): Promise<T> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  async count(topic: string): Promise<number> {
    const cached = this.#counts.get(topic);
    if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.count;
    try {
      const meta = await this.#withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }));
      const count = meta.topics[0].partitions.length;
      this.#counts.set(topic, { count, at: Date.now() });
      return count;
    } catch (error) {
      if (cached) return cached.count; // the cluster is unreachable: the last known count
      throw error;
    }
  }

  /** How many brokers the cluster has. */
  async brokers(): Promise<number> {
    const cached = this.#brokers;
    if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.count;
    try {
      const cluster = await this.#withAdmin((admin) => admin.describeCluster());
      this.#brokers = { count: cluster.brokers.length, at: Date.now() };
      return this.#brokers.count;
    } catch (error) {
      if (cached) return cached.count;
      throw error;
    }
  }

  /** After a failed send: read the topic's count and the cluster's size again next time. */
  forget(topic: string): void {
    const count = this.#counts.get(topic);
    if (count) count.at = 0;
    if (this.#brokers) this.#brokers.at = 0;
  }

  /** The next partition in turn for a message without key. */
  next(topic: string, count: number): number {
    const turn = this.#turns.get(topic) ?? Math.floor(Math.random() * count);
    this.#turns.set(topic, turn + 1);
    return turn % count;
  }
}

/**
 * The producer's metadata does not know a partition yet (just added): its
 * messages were not sent. Retriable: it knows it within seconds.
 */
export class PartitionUnknownError extends Error {
  readonly retriable = true;
  readonly code = "PARTITION_UNKNOWN_TO_PRODUCER";
  constructor(readonly topic: string, readonly partitions: number[]) {
    super(
      `${topic}: the producer does not know partition ${
        partitions.join(", ")
      } yet (just added?); its messages were not sent`,
    );
    this.name = "PartitionUnknownError";
  }
}

/** Throws PartitionUnknownError if `results` lack a partition `sent` carried messages for. */
function expectAnswered(
  sent: { topic: string; messages: Message[] }[],
  results: RecordMetadata[],
): RecordMetadata[] {
  for (const { topic, messages } of sent) {
    const answered = new Set(results.filter((r) => r.topicName === topic).map((r) => r.partition));
    const missing = [
      ...new Set(
        messages.map((m) => m.partition).filter((p): p is number => p !== undefined && p !== null),
      ),
    ].filter((p) => !answered.has(p));
    if (missing.length > 0) throw new PartitionUnknownError(topic, missing);
  }
  return results;
}

/** One partition's share of a send. */
interface PartitionShare {
  topic: string;
  partition: number;
  messages: Message[];
}

async function split(
  counts: PartitionCounts,
  topicMessages: { topic: string; messages: Message[] }[],
): Promise<PartitionShare[]> {
  const shares = new Map<string, PartitionShare>();
  for (const { topic, messages } of topicMessages) {
    const needsCount = messages.some((m) => m.partition === undefined || m.partition === null);
    const count = needsCount ? await counts.count(topic) : 0;
    for (const message of messages) {
      const partition = message.partition ??
        (message.key === null || message.key === undefined
          ? counts.next(topic, count)
          : keyPartition(
            typeof message.key === "string" ? message.key : new Uint8Array(message.key),
            count,
          ));
      const key = `${topic}\u0000${partition}`;
      let share = shares.get(key);
      if (!share) shares.set(key, share = { topic, partition, messages: [] });
      share.messages.push({ ...message, partition });
    }
  }
  return [...shares.values()];
}

type SendFn = (record: ProducerRecord) => Promise<RecordMetadata[]>;
type SendBatchFn = (batch: ProducerBatch) => Promise<RecordMetadata[]>;

/**
 * `send` and `sendBatch` over the given ones: one call per partition (in
 * turn, or all at once), or the whole batch in one call on a one-broker
 * cluster.
 */
function partitionedSend(
  counts: PartitionCounts,
  direct: { send: SendFn; sendBatch: SendBatchFn },
  concurrent: boolean,
  compression: number,
) {
  const run = async (
    topicMessages: { topic: string; messages: Message[] }[],
    given: Omit<ProducerRecord, "topic" | "messages">,
  ): Promise<RecordMetadata[]> => {
    const options = { ...given, compression: given.compression ?? compression };
    const forget = (error: unknown) => {
      for (const { topic } of topicMessages) counts.forget(topic);
      throw error;
    };
    const acked = options.acks !== 0;
    if (await counts.brokers() === 1) {
      return await direct.sendBatch({ ...options, topicMessages })
        .then((results) => acked ? expectAnswered(topicMessages, results) : results)
        .catch(forget);
    }
    const shares = await split(counts, topicMessages);
    const one = (share: PartitionShare) =>
      direct.send({ ...options, topic: share.topic, messages: share.messages })
        .then((results) => acked ? expectAnswered([share], results) : results)
        .catch(forget);
    if (concurrent) return (await Promise.all(shares.map(one))).flat();
    const results: RecordMetadata[] = [];
    for (const share of shares) results.push(...await one(share));
    return results;
  };
  return {
    send: ({ topic, messages, ...options }: ProducerRecord) => run([{ topic, messages }], options),
    sendBatch: ({ topicMessages = [], ...options }: ProducerBatch) => run(topicMessages, options),
  };
}

/**
 * `producer` with sends split per partition, its transactions' too. Within
 * a transaction the parts go one after the other. Sends that name no
 * `compression` use `options.compression` (default none).
 */
export function partitionedProducer(
  kafka: Kafka,
  producer: Producer,
  options: { compression?: CompressionCodec } = {},
): Producer {
  const counts = new PartitionCounts(kafka);
  const compression = kafkaJsCompression(options.compression ?? "none");
  const direct = partitionedSend(
    counts,
    {
      send: (record) => producer.send(record),
      sendBatch: (batch) => producer.sendBatch(batch),
    },
    true,
    compression,
  );
  return {
    ...producer,
    send: direct.send,
    sendBatch: direct.sendBatch,
    async transaction(): Promise<Transaction> {
      const txn = await producer.transaction();
      const inTxn = partitionedSend(
        counts,
        {
          send: (record) => txn.send(record),
          sendBatch: (batch) => txn.sendBatch(batch),
        },
        false,
        compression,
      );
      return { ...txn, send: inTxn.send, sendBatch: inTxn.sendBatch };
    },
  };
}
