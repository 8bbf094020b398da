/**
 * The console's low-level access to topic logs: partitions and their
 * leaders, start/end offsets, offsets for a time, and raw fetches — with no
 * consumer group, so a page costs a few round trips and never a rebalance.
 * KafkaJS has no consumer without a group (`assign()`), and joining one
 * costs seconds (join, sync, the broker's initial rebalance delay), so the
 * requests go over KafkaJS's own cluster connections (../kafka_cluster.ts):
 * its SASL, TLS and retries, our Fetch (wire/fetch_request.ts).
 * One client per use that needs its own connections (a page reader shared
 * by requests; each scan and each live tail gets its own, so a long fetch
 * never queues a page behind it: Kafka answers one request per connection
 * at a time).
 */
import type { Kafka } from "kafkajs";
import { isLeaderMoving } from "../errors.ts";
import { type ClusterBroker, createCluster, type KafkaCluster } from "./kafka_cluster.ts";
import { type MetadataTopic, readTopicMetadata } from "./metadata_request.ts";
import {
  type FetchedPartition,
  FetchError,
  type FetchPartition,
  fetchRequest,
} from "./fetch_request.ts";

const READ_COMMITTED = 1;
const EARLIEST = -2;
const LATEST = -1;
const METADATA_TTL_MS = 5_000;

/** A partition's start (log start offset) and end (last stable offset: what read_committed sees). */
export interface Watermarks {
  low: number;
  high: number;
}

/** A topic the broker does not have (or the console may not see). */
export class UnknownTopicError extends Error {
  constructor(readonly topic: string, readonly code: string) {
    super(
      code === "TOPIC_AUTHORIZATION_FAILED"
        ? `the console may not read topic ${topic}`
        : `no topic named ${topic}`,
    );
    this.name = "UnknownTopicError";
  }
}

type Leaders = { partitions: number[]; leaders: Map<number, number>; at: number };

/** Reads topic logs over one KafkaJS cluster. */
export class LogClient {
  #cluster: KafkaCluster;
  #connected: Promise<void> | undefined;
  #leaders = new Map<string, Leaders>();

  constructor(kafka: Kafka) {
    this.#cluster = createCluster(kafka);
  }

  #connect(): Promise<void> {
    this.#connected ??= this.#cluster.connect().catch((error) => {
      this.#connected = undefined;
      throw error;
    });
    return this.#connected;
  }

  async #topic(topic: string, fresh = false): Promise<Leaders> {
    const cached = this.#leaders.get(topic);
    if (cached && !fresh && Date.now() - cached.at < METADATA_TTL_MS) return cached;
    await this.#connect();
    let metadata;
    try {
      metadata = await this.#cluster.metadata({ topics: [topic] });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (
        type === "UNKNOWN_TOPIC_OR_PARTITION" || type === "TOPIC_AUTHORIZATION_FAILED" ||
        type === "INVALID_TOPIC_EXCEPTION"
      ) {
        throw new UnknownTopicError(topic, type);
      }
      throw error;
    }
    const found = metadata.topicMetadata.find((t) => t.topic === topic);
    if (!found || found.partitionMetadata.length === 0) {
      throw new UnknownTopicError(topic, "UNKNOWN_TOPIC_OR_PARTITION");
    }
    const leaders = new Map(found.partitionMetadata.map((p) => [p.partitionId, p.leader]));
    const entry = {
      partitions: [...leaders.keys()].sort((a, b) => a - b),
      leaders,
      at: Date.now(),
    };
    this.#leaders.set(topic, entry);
    return entry;
  }

  /** The topic's partition ids, ascending. */
  async partitions(topic: string): Promise<number[]> {
    return (await this.#topic(topic)).partitions;
  }

  async #byLeader<T>(
    topic: string,
    partitions: number[],
    fn: (broker: ClusterBroker, partitions: number[]) => Promise<T[]>,
  ): Promise<T[]> {
    for (let attempt = 0;; attempt++) {
      const { leaders } = await this.#topic(topic, attempt > 0);
      const groups = new Map<number, number[]>();
      for (const p of partitions) {
        const leader = leaders.get(p);
        if (leader === undefined) throw new RangeError(`topic ${topic} has no partition ${p}`);
        groups.set(leader, [...(groups.get(leader) ?? []), p]);
      }
      try {
        const results = await Promise.all(
          [...groups].map(async ([nodeId, ps]) =>
            fn(await this.#cluster.findBroker({ nodeId: String(nodeId) }), ps)
          ),
        );
        return results.flat();
      } catch (error) {
        if (attempt >= 2 || !leaderMoved(error)) throw error;
        await this.#cluster.refreshMetadata().catch(() => {});
      }
    }
  }

  async #listOffsets(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    const rows = await this.#byLeader(topic, partitions, async (broker, ps) => {
      const { responses } = await broker.listOffsets({
        isolationLevel: READ_COMMITTED,
        topics: [{ topic, partitions: ps.map((partition) => ({ partition, timestamp })) }],
      });
      return responses.flatMap((r) => r.partitions);
    });
    return new Map(rows.map((r) => [r.partition, Number(r.offset)]));
  }

  /** Start and end offsets of `partitions` (default all). */
  async watermarks(topic: string, partitions?: number[]): Promise<Map<number, Watermarks>> {
    const ps = partitions ?? await this.partitions(topic);
    const [low, high] = await Promise.all([
      this.#listOffsets(topic, ps, EARLIEST),
      this.#listOffsets(topic, ps, LATEST),
    ]);
    return new Map(ps.map((p) => [p, { low: low.get(p) ?? 0, high: high.get(p) ?? 0 }]));
  }

  /** The first offset at or after `timestampMs` per partition; -1 when there is none. */
  offsetsForTimestamp(
    topic: string,
    timestampMs: number,
    partitions: number[],
  ): Promise<Map<number, number>> {
    return this.#listOffsets(topic, partitions, timestampMs);
  }

  /**
   * One Fetch per leader for `wants`; partition errors other than a moved
   * leader are thrown as FetchError.
   */
  fetch(
    topic: string,
    wants: FetchPartition[],
    options: { maxWaitMs?: number; maxBytes?: number } = {},
  ): Promise<FetchedPartition[]> {
    const byPartition = new Map(wants.map((w) => [w.partition, w]));
    return this.#byLeader(topic, [...byPartition.keys()], async (broker, ps) => {
      const partitions = ps.map((p) => byPartition.get(p)!);
      const { partitions: fetched } = await broker.connectionPool.send(fetchRequest({
        topic,
        partitions,
        maxWaitMs: options.maxWaitMs ?? 0,
        maxBytes: options.maxBytes ?? partitions.reduce((n, p) => n + p.maxBytes, 0),
      }));
      for (const f of fetched) {
        if (f.errorCode !== 0) throw new FetchError(f.errorCode, `partition ${f.partition}`);
      }
      return fetched;
    });
  }

  /**
   * Each topic's id and partitions (Metadata v12); a topic the broker does
   * not have is listed with its error code and no id. The leaders read are
   * kept for the next requests on those topics (a watermarks right after
   * does not ask Metadata again), unless a partition has none.
   */
  async topicMetadata(topics: string[]): Promise<Map<string, MetadataTopic>> {
    await this.#connect();
    const { topics: found } = await readTopicMetadata(this.#cluster, topics);
    const at = Date.now();
    for (const t of found) {
      if (t.errorCode !== 0 || t.partitions.length === 0) continue;
      if (t.partitions.some((p) => p.leader < 0)) continue;
      const leaders = new Map(t.partitions.map((p) => [p.partition, p.leader]));
      this.#leaders.set(t.name, {
        partitions: [...leaders.keys()].sort((a, b) => a - b),
        leaders,
        at,
      });
    }
    return new Map(found.map((t) => [t.name, t]));
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    const connected = this.#connected;
    this.#connected = undefined;
    if (connected) await connected.catch(() => {});
    await this.#cluster.disconnect().catch(() => {});
  }
}

function leaderMoved(error: unknown): boolean {
  if (error instanceof FetchError) return error.retriable;
  return isLeaderMoving(error) || (error as { name?: string }).name === "KafkaJSBrokerNotFound";
}
