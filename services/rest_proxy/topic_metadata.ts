/**
 * Partition metadata of the topics the REST proxy writes, cached briefly so
 * a busy endpoint asks Kafka about a topic once per `ttlMs`, not once per
 * request. Concurrent lookups of one topic share one request; an unknown
 * topic is remembered for a shorter time, so a topic created meanwhile is
 * soon seen; failures are not remembered at all.
 */
import type { PartitionMetadata } from "kafkajs";

/** Partitions of a topic, by id; `undefined` when the topic does not exist. */
export type Lookup = (topic: string) => Promise<PartitionMetadata[] | undefined>;

/** Options of `TopicMetadataCache`. */
export interface TopicMetadataCacheOptions {
  /** How long a known topic's partitions are trusted (default 10 000 ms). */
  ttlMs?: number;
  /** How long "no such topic" is trusted (default 1 000 ms). */
  missingTtlMs?: number;
  /** Shortest time between two forced refreshes of one topic (default 1 000 ms). */
  minRefreshMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

interface Entry {
  at: number;
  value: Promise<PartitionMetadata[] | undefined>;
  settled?: PartitionMetadata[] | null;
}

/** A time-bounded cache in front of `lookup`. */
export class TopicMetadataCache {
  #lookup: Lookup;
  #entries = new Map<string, Entry>();
  #ttlMs: number;
  #missingTtlMs: number;
  #minRefreshMs: number;
  #now: () => number;

  constructor(lookup: Lookup, options: TopicMetadataCacheOptions = {}) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#missingTtlMs = options.missingTtlMs ?? 1_000;
    this.#minRefreshMs = options.minRefreshMs ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The partitions of `topic` (sorted by id), or undefined if it does not
   * exist. `refresh` asks Kafka again unless the entry is younger than
   * `minRefreshMs` (e.g. a client names a partition the cache does not know).
   */
  get(
    topic: string,
    options: { refresh?: boolean } = {},
  ): Promise<PartitionMetadata[] | undefined> {
    const now = this.#now();
    const entry = this.#entries.get(topic);
    if (entry && !this.#expired(entry, now, options.refresh ?? false)) return entry.value;
    const fresh: Entry = { at: now, value: Promise.resolve(undefined) };
    fresh.value = this.#lookup(topic).then(
      (partitions) => {
        const sorted = partitions?.toSorted((a, b) => a.partitionId - b.partitionId);
        fresh.settled = sorted ?? null;
        return sorted;
      },
      (error) => {
        if (this.#entries.get(topic) === fresh) this.#entries.delete(topic);
        throw error;
      },
    );
    this.#entries.set(topic, fresh);
    return fresh.value;
  }

  /** Forgets `topic` (e.g. after Kafka said it no longer exists). */
  invalidate(topic: string): void {
    this.#entries.delete(topic);
  }

  #expired(entry: Entry, now: number, refresh: boolean): boolean {
    if (entry.settled === undefined) return false; // in flight: share it
    const age = now - entry.at;
    if (refresh) return age >= this.#minRefreshMs;
    return age >= (entry.settled === null ? this.#missingTtlMs : this.#ttlMs);
  }
}
