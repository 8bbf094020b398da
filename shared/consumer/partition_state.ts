/**
 * What the runner knows of each partition it is assigned: whether it is
 * paused waiting to retry (and the timer that ends the wait), where it is
 * (the next offset to apply) and where its log ends, for the lag; and, for
 * a processor, the promise that says it is ready (its producer fenced in,
 * its offset read). Kept apart from Kafka so the bookkeeping of
 * assignments, revocations and pauses is tested on its own.
 */

/** `topic:partition`, the key of a partition everywhere in the runner. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** One assigned partition. */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  /** The next offset to apply, as far as the runner knows. */
  position?: number;
  /** The log's end (last stable offset) when last seen. */
  logEnd?: number;
  /** Set while the partition waits to retry a message; the timer resumes it. */
  retryTimer?: ReturnType<typeof setTimeout>;
  /** Resolves once the partition is positioned (processor: fenced in, offset read) and checked. */
  ready?: Promise<void>;
  /** Whether its position was checked against the log since the assignment: batches may apply. */
  checked?: boolean;
  /** Since when the stored offset has been beyond the reported log end. */
  beyondEndSince?: number;
  /** When messages of the partition last applied (evidence that its topic's dependencies work). */
  appliedAt?: number;
  /** The topic's id when the partition was assigned (KIP-516). */
  topicId?: string;
  /** Whether the stored offset was stamped with the topic id since the assignment. */
  stamped?: boolean;
  /** Set while a commit past a tail of transaction markers waits (runner.ts). */
  tailTimer?: ReturnType<typeof setTimeout>;
  /** A commit past a tail of markers is owed (it failed, or waits its turn). */
  tailPending?: boolean;
  /** Commits failed in a row outside any handler (repositioned after a growing delay). */
  commitFailures?: number;
  /**
   * How many times it has been positioned since its assignment. A processor's
   * positioning initialises a new producer, which fences the previous one: a
   * batch begun before it and fenced is this instance's own, not a new owner's.
   */
  positionings?: number;
  /** The partition's gap checks, one after the other (each sees what the last one did). */
  gapChecks?: Promise<unknown>;
}

/** What changed with a new assignment. */
export interface AssignmentChange {
  /** Partitions assigned now that were not before. */
  added: PartitionState[];
  /** Partitions assigned before and now too (their pauses and positions are kept). */
  kept: PartitionState[];
  /** Partitions no longer assigned (their retry timers are cleared). */
  revoked: PartitionState[];
}

/** The assigned partitions of one runner. */
export class PartitionStates {
  #states = new Map<string, PartitionState>();

  /**
   * Replaces the assignment with `assignment` (topic → partitions): keeps
   * the state of partitions still assigned, forgets revoked ones (clearing
   * their retry timers) and creates the new ones.
   */
  assign(assignment: Record<string, number[]>): AssignmentChange {
    const next = new Map<string, PartitionState>();
    const added: PartitionState[] = [];
    const kept: PartitionState[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const key = partitionKey(topic, partition);
        const state = this.#states.get(key);
        if (state) kept.push(state);
        else added.push({ topic, partition, key });
        next.set(key, state ?? added[added.length - 1]);
      }
    }
    const revoked = [...this.#states.values()].filter((s) => !next.has(s.key));
    for (const state of revoked) {
      clearTimeout(state.retryTimer);
      clearTimeout(state.tailTimer);
      state.retryTimer = undefined;
    }
    this.#states = next;
    return { added, kept, revoked };
  }

  /** The state of an assigned partition. */
  get(topic: string, partition: number): PartitionState | undefined {
    return this.#states.get(partitionKey(topic, partition));
  }

  /** Every assigned partition. */
  all(): PartitionState[] {
    return [...this.#states.values()];
  }

  /** The assignment as topic → partitions. */
  byTopic(): Map<string, number[]> {
    const topics = new Map<string, number[]>();
    for (const s of this.#states.values()) {
      topics.set(s.topic, [...(topics.get(s.topic) ?? []), s.partition]);
    }
    return topics;
  }

  /** Whether any partition waits to retry. */
  get anyPaused(): boolean {
    for (const s of this.#states.values()) if (s.retryTimer !== undefined) return true;
    return false;
  }

  /**
   * Marks `state` paused for `delayMs`, replacing a previous wait; `resume`
   * runs when it ends (unless the partition was revoked or the pause
   * cleared first).
   */
  pause(state: PartitionState, delayMs: number, resume: () => void): void {
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      resume();
    }, delayMs);
  }

  /** Clears every retry timer (the runner stops). */
  clearPauses(): void {
    for (const s of this.#states.values()) {
      clearTimeout(s.retryTimer);
      clearTimeout(s.tailTimer);
      s.retryTimer = undefined;
    }
  }

  /** Messages behind the end of each partition whose position and end are known. */
  lag(): Record<string, number> {
    const lag: Record<string, number> = {};
    for (const s of this.#states.values()) {
      if (s.position !== undefined && s.logEnd !== undefined) {
        lag[s.key] = Math.max(0, s.logEnd - s.position);
      }
    }
    return lag;
  }
}
