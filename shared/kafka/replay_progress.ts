/**
 * Where a replay of some partitions stands: per partition, the next offset
 * to give out (every offset below it was given out, skipped by compaction,
 * or is a transaction marker) and the target (every offset below it is to
 * be given out). Pure bookkeeping, no Kafka: TopicReplay feeds it what it
 * fetched and pauses or resumes partitions as it says.
 */

/** One partition to replay: from `start` (e.g. the log start offset) to below `target`. */
export interface ReplayPartition {
  topic: string;
  partition: number;
  start: number;
  target: number;
}

/** A partition, named. */
export interface PartitionName {
  topic: string;
  partition: number;
}

interface State {
  next: number;
  target: number;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** The progress of one replay. */
export class ReplayProgress {
  #states = new Map<string, State & PartitionName>();

  constructor(partitions: readonly ReplayPartition[]) {
    for (const { topic, partition, start, target } of partitions) {
      const key = keyOf(topic, partition);
      if (this.#states.has(key)) throw new Error(`${topic}[${partition}] is listed twice`);
      this.#states.set(key, { topic, partition, next: start, target: Math.max(start, target) });
    }
  }

  /** Whether `topic[partition]` is replayed. */
  has(topic: string, partition: number): boolean {
    return this.#states.has(keyOf(topic, partition));
  }

  /** Every offset below this one of the partition has been given out. */
  position(topic: string, partition: number): number {
    return this.#state(topic, partition).next;
  }

  /** Every offset below this one of the partition is to be given out. */
  target(topic: string, partition: number): number {
    return this.#state(topic, partition).target;
  }

  /** The partitions replayed, by topic then partition. */
  partitions(): PartitionName[] {
    return [...this.#states.values()]
      .map(({ topic, partition }) => ({ topic, partition }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** Whether the partition has reached its target. */
  done(topic: string, partition: number): boolean {
    const state = this.#state(topic, partition);
    return state.next >= state.target;
  }

  /** Whether every partition has reached its target. */
  complete(): boolean {
    return this.behind().length === 0;
  }

  /** The partitions still behind, as `topic[p] at next of target`. */
  behind(): string[] {
    return this.partitions().map(({ topic, partition }) => this.#state(topic, partition))
      .filter((s) => s.next < s.target)
      .map((s) => `${s.topic}[${s.partition}] at ${s.next} of ${s.target}`);
  }

  /**
   * The fetched records of a partition that are to be given out (from its
   * position, below its target, in order), and whether a record at or past
   * the target was seen (then every offset below the target was read).
   */
  wanted<T extends { offset: number }>(
    topic: string,
    partition: number,
    records: readonly T[],
  ): { records: T[]; beyond: boolean } {
    const state = this.#state(topic, partition);
    const out: T[] = [];
    for (const record of records) {
      if (record.offset < state.next) continue;
      if (record.offset >= state.target) return { records: out, beyond: true };
      out.push(record);
    }
    return { records: out, beyond: false };
  }

  /** Records that every offset below `next` was read (capped at the target; never backwards). */
  advance(topic: string, partition: number, next: number): void {
    const state = this.#state(topic, partition);
    state.next = Math.max(state.next, Math.min(next, state.target));
  }

  /**
   * Raises the target (a lower one is ignored); true when the partition
   * had reached its old target and is now behind (to be resumed).
   */
  raise(topic: string, partition: number, target: number): boolean {
    const state = this.#state(topic, partition);
    if (target <= state.target) return false;
    const wasDone = state.next >= state.target;
    state.target = target;
    return wasDone;
  }

  #state(topic: string, partition: number): State & PartitionName {
    const state = this.#states.get(keyOf(topic, partition));
    if (!state) {
      throw new Error(`${topic}[${partition}] is not being replayed (partitions added meanwhile?)`);
    }
    return state;
  }
}
