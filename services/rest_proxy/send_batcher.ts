/**
 * How the REST proxy uses its producer: a request's records go to Kafka at
 * once when no send is in flight; requests that arrive while one is go
 * together in the next send (KafkaJS `sendBatch`, one Produce request),
 * as the Confluent proxy's Java producer batches concurrent requests. The
 * idempotent producer sends one request at a time anyway (one in flight
 * per connection), so under load this turns N round trips into one and
 * adds no wait when idle.
 *
 * Requests are never split and keep their arrival order, so records of one
 * key stay in order across requests. Only requests asking for the same
 * compression are merged (a batch has one codec). A merged send fails or succeeds as a
 * whole; every request in it gets the outcome. Each request learns the
 * offset of its first record in each partition it wrote to.
 */
import type { Message, Producer } from "kafkajs";
import type { CompressionCodec } from "../../shared/kafka/codecs/codecs.ts";
import { kafkaJsCompression } from "../../shared/kafka/kafkajs_codecs.ts";

/** Options of `SendBatcher`. */
export interface SendBatcherOptions {
  /**
   * Most key and value bytes in one merged send (default 512 KiB); a single
   * request larger than this still goes, alone. Kept well under the broker's
   * `message.max.bytes` (1 MiB by default), which bounds each partition's batch.
   */
  maxMergedBytes?: number;
}

/** Partition → offset of the request's first record there. */
export type FirstOffsets = Map<number, number>;

interface Waiting {
  topic: string;
  /** The codec asked for; undefined: the producer's default. */
  compression?: CompressionCodec;
  /** Every message has its partition chosen already. */
  messages: Message[];
  bytes: number;
  resolve(offsets: FirstOffsets): void;
  reject(error: unknown): void;
}

function sizeOf(value: Message["value"] | Message["key"]): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "string" ? value.length : value.byteLength;
}

/** Sends requests' records through one producer, merging those that wait. */
export class SendBatcher {
  #queue: Waiting[] = [];
  #sending = false;
  readonly #producer: () => Promise<Producer>;
  readonly #maxMergedBytes: number;

  constructor(producer: () => Promise<Producer>, options: SendBatcherOptions = {}) {
    this.#producer = producer;
    this.#maxMergedBytes = options.maxMergedBytes ?? 512 * 1024;
  }

  /**
   * Produces `messages` (acks=all), each with its partition set; resolves with
   * the offset of the first record per partition.
   */
  send(
    topic: string,
    messages: Message[],
    options: { compression?: CompressionCodec } = {},
  ): Promise<FirstOffsets> {
    let bytes = 0;
    for (const m of messages) bytes += sizeOf(m.key) + sizeOf(m.value);
    const { promise, resolve, reject } = Promise.withResolvers<FirstOffsets>();
    this.#queue.push({ topic, messages, bytes, compression: options.compression, resolve, reject });
    this.#drain();
    return promise;
  }

  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#queue.length > 0) await this.#sendGroup(this.#takeGroup());
    } finally {
      this.#sending = false;
    }
  }

  #takeGroup(): Waiting[] {
    const group = [this.#queue.shift()!];
    let bytes = group[0].bytes;
    while (
      this.#queue.length > 0 && bytes + this.#queue[0].bytes <= this.#maxMergedBytes &&
      this.#queue[0].compression === group[0].compression
    ) {
      bytes += this.#queue[0].bytes;
      group.push(this.#queue.shift()!);
    }
    return group;
  }

  async #sendGroup(group: Waiting[]): Promise<void> {
    let results;
    try {
      const producer = await this.#producer();
      const codec = group[0].compression;
      results = await producer.sendBatch({
        acks: -1,
        ...(codec ? { compression: kafkaJsCompression(codec) } : {}),
        topicMessages: group.map((w) => ({ topic: w.topic, messages: w.messages })),
      });
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    // KafkaJS keeps the order of the merged messages within each partition.
    const next = new Map<string, number>();
    for (const r of results) next.set(`${r.topicName}\u0000${r.partition}`, Number(r.baseOffset));
    for (const w of group) {
      const counts = new Map<number, number>();
      for (const m of w.messages) counts.set(m.partition!, (counts.get(m.partition!) ?? 0) + 1);
      const firsts: FirstOffsets = new Map();
      for (const [partition, count] of counts) {
        const key = `${w.topic}\u0000${partition}`;
        const offset = next.get(key);
        if (offset === undefined) continue; // not sent: see produceRecords
        firsts.set(partition, offset);
        next.set(key, offset + count);
      }
      w.resolve(firsts);
    }
  }
}
