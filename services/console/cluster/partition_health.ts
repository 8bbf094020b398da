/**
 * Which partitions are not healthy, as Kafka's own `kafka-topics
 * --describe` flags tell it: under-replicated (fewer in-sync replicas than
 * replicas: `--under-replicated-partitions`), offline (no leader:
 * `--unavailable-partitions`), under min ISR (fewer in-sync replicas than
 * the topic's `min.insync.replicas`, so `acks=all` writes fail:
 * `--under-min-isr-partitions`). Pure, so the rules have unit tests.
 */

/** One partition as Metadata tells it. */
export interface PartitionState {
  topic: string;
  partition: number;
  /** -1 when it has none. */
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
}

/** A partition named by one of the lists, with what makes it so. */
export interface PartitionIssue extends PartitionState {
  /** The topic's `min.insync.replicas` (undefined when it could not be read). */
  minIsr?: number;
}

/** The three lists, each sorted by topic and partition. */
export interface PartitionHealth {
  total: number;
  underReplicated: PartitionIssue[];
  offline: PartitionIssue[];
  underMinIsr: PartitionIssue[];
}

const byName = (a: PartitionState, b: PartitionState) =>
  a.topic.localeCompare(b.topic) || a.partition - b.partition;

/** The unhealthy partitions of `partitions`, `minIsr` by topic. */
export function partitionHealth(
  partitions: PartitionState[],
  minIsr: ReadonlyMap<string, number>,
): PartitionHealth {
  const issue = (p: PartitionState): PartitionIssue => ({ ...p, minIsr: minIsr.get(p.topic) });
  const sorted = [...partitions].sort(byName);
  return {
    total: partitions.length,
    underReplicated: sorted.filter((p) => p.isr.length < p.replicas.length).map(issue),
    offline: sorted.filter((p) => p.leader < 0).map(issue),
    underMinIsr: sorted.filter((p) => {
      const min = minIsr.get(p.topic);
      return min !== undefined && p.isr.length < min;
    }).map(issue),
  };
}
