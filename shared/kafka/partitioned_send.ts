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
 * cluster's metadata, cached for a minute.
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

const METADATA_TTL_MS = 60_000;

/** Partition counts of topics, read through an admin client of `kafka`. */
class PartitionCounts {
  #kafka: Kafka;
  #counts = new Map<string, { count: number; at: number }>();
  #turns = new Map<string, number>();

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  async count(topic: string): Promise<number> {
    const cached = this.#counts.get(topic);
    if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.count;
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = meta.topics[0].partitions.length;
      this.#counts.set(topic, { count, at: Date.now() });
      return count;
    } finally {
      await admin.disconnect();
    }
  }

  forget(topic: string): void {
    this.#counts.delete(topic);
  }

  /** The next partition in turn for a message without key. */
  next(topic: string, count: number): number {
    const turn = this.#turns.get(topic) ?? Math.floor(Math.random() * count);
    this.#turns.set(topic, turn + 1);
    return turn % count;
  }
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

/** `send` and `sendBatch` over `send`, one call per partition (in turn, or all at once). */
function partitionedSend(counts: PartitionCounts, send: SendFn, concurrent: boolean) {
  const run = async (
    topicMessages: { topic: string; messages: Message[] }[],
    options: Omit<ProducerRecord, "topic" | "messages">,
  ): Promise<RecordMetadata[]> => {
    const shares = await split(counts, topicMessages);
    const one = (share: PartitionShare) =>
      send({ ...options, topic: share.topic, messages: share.messages }).catch((error) => {
        counts.forget(share.topic); // the partition count may have changed
        throw error;
      });
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
 * a transaction the parts go one after the other.
 */
export function partitionedProducer(kafka: Kafka, producer: Producer): Producer {
  const counts = new PartitionCounts(kafka);
  const direct = partitionedSend(counts, (record) => producer.send(record), true);
  return {
    ...producer,
    send: direct.send,
    sendBatch: direct.sendBatch,
    async transaction(): Promise<Transaction> {
      const txn = await producer.transaction();
      const inTxn = partitionedSend(counts, (record) => txn.send(record), false);
      return { ...txn, send: inTxn.send, sendBatch: inTxn.sendBatch };
    },
  };
}
