/**
 * The conditions on the cluster, from one Metadata answer per evaluation:
 * `partitions` — partitions whose in-sync replicas are fewer than their
 * replicas (under-replicated) or that have no leader (offline), one
 * instance per problem, naming the topics; `broker` — the cluster
 * unreachable (instance `cluster`), or a broker seen before missing from
 * it (instance `broker <id>`) until it comes back or has been gone longer
 * than the rule's `forget`. Under a topic prefix only its topics count.
 */
import { type BrokerRule, matchesScoped, type PartitionsRule } from "../rules/rule.ts";
import type { Observation } from "../state_machine.ts";
import type { ConditionMemory, PartitionView, Snapshot } from "./snapshot.ts";

const PROBLEMS: Record<PartitionsRule["problems"][number], (p: PartitionView) => boolean> = {
  "under-replicated": (p) => p.isr.length < p.replicas.length,
  offline: (p) => p.leader < 0,
};

/** One instance per problem the rule watches. */
export function partitionObservations(
  rule: PartitionsRule,
  snapshot: Snapshot,
): Observation[] | undefined {
  const cluster = snapshot.cluster;
  if (!cluster || "error" in cluster) return undefined;
  const topics = cluster.topics.filter((t) =>
    (snapshot.topicPrefix === "" || t.name.startsWith(snapshot.topicPrefix)) &&
    matchesScoped(rule.topic, t.name, snapshot.topicPrefix)
  );
  return rule.problems.map((problem) => {
    const hit = topics.map((t) => ({
      topic: t.name,
      partitions: t.partitions.filter(PROBLEMS[problem]).map((p) => p.partition).sort((a, b) =>
        a - b
      ),
    })).filter((t) => t.partitions.length > 0).sort((a, b) => a.topic.localeCompare(b.topic));
    const count = hit.reduce((n, t) => n + t.partitions.length, 0);
    const named = hit.slice(0, 10).map((t) => `${t.topic} (${t.partitions.join(", ")})`).join(
      ", ",
    );
    return {
      instance: problem,
      active: count > 0,
      summary: count > 0
        ? `${count} ${problem} partition(s) in ${hit.length} topic(s): ${named}${
          hit.length > 10 ? ", …" : ""
        }`
        : `no ${problem} partition`,
      details: { problem, partitions: count, topics: hit.slice(0, 100) },
    };
  });
}

/** `cluster`, and each broker seen before. Records the brokers seen in `memory`. */
export function brokerObservations(
  rule: BrokerRule,
  snapshot: Snapshot,
  memory: ConditionMemory,
): Observation[] | undefined {
  const cluster = snapshot.cluster;
  if (!cluster) return undefined;
  if ("error" in cluster) {
    return [
      {
        instance: "cluster",
        active: true,
        summary: `the Kafka cluster cannot be reached: ${cluster.error}`,
        details: { error: cluster.error },
      },
      ...memory.knownBrokers().map((known) => ({
        instance: `broker ${known.id}`,
        active: undefined, // nothing is known of each broker while the cluster does not answer
        summary: `broker ${known.id} (${known.host}): the cluster does not answer`,
      })),
    ];
  }
  const out: Observation[] = [{
    instance: "cluster",
    active: false,
    summary: `the Kafka cluster answers (${cluster.brokers.length} broker(s))`,
    details: { brokers: cluster.brokers.map((b) => b.id) },
  }];
  const live = new Set(cluster.brokers.map((b) => b.id));
  for (const b of cluster.brokers) memory.seeBroker(b.id, b.host, snapshot.now);
  for (const known of memory.knownBrokers()) {
    if (live.has(known.id)) {
      out.push({
        instance: `broker ${known.id}`,
        active: false,
        summary: `broker ${known.id} (${known.host}) is in the cluster`,
      });
      continue;
    }
    const goneMs = snapshot.now - known.lastSeenAt;
    if (goneMs > rule.forgetMs) {
      memory.forgetBroker(known.id);
      continue;
    }
    out.push({
      instance: `broker ${known.id}`,
      active: true,
      summary: `broker ${known.id} (${known.host}) is gone from the cluster since ${
        new Date(known.lastSeenAt).toISOString()
      } (${cluster.brokers.length} broker(s) left)`,
      details: { broker: known.id, host: known.host, lastSeenAt: known.lastSeenAt },
    });
  }
  return out;
}
