/**
 * Every topic as the console's topics page lists it: partitions,
 * replication factor, min ISR, cleanup policy, retention, approximate
 * message count (end − start offsets), and whether kafka-topics.txt
 * declares it and how it drifts. Topics the file declares but the broker
 * lacks are listed too, as missing.
 */
import type { Admin, ConfigEntries } from "kafkajs";
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import { mapLimit } from "../../../shared/core/map_limit.ts";
import type { DeclaredTopics } from "./declared_topics.ts";
import { topicDrift } from "./topic_drift.ts";
import { isMissingTopic } from "../../../shared/kafka/errors.ts";

/** One row of the topics list. */
export interface TopicSummary {
  name: string;
  /** False for a topic the file declares but the broker does not have. */
  exists: boolean;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: string | null;
  cleanupPolicy: string | null;
  retentionMs: string | null;
  /** Sum over partitions of end − start offset (compaction and transactions make it approximate). */
  messages: number;
  declared: boolean;
  /** Differences from the file (empty: none, or not declared). */
  drift: string[];
}

/** The value of config `name` in `entries`, or null. */
export function configValue(entries: ConfigEntries[] | undefined, name: string): string | null {
  return entries?.find((e) => e.configName === name)?.configValue ?? null;
}

/** Start and end offsets of every partition of `topic`, as numbers. */
export async function partitionOffsets(
  admin: Admin,
  topic: string,
): Promise<{ partition: number; start: number; end: number }[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((o) => ({ partition: o.partition, start: Number(o.low), end: Number(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

/**
 * The topics list, sorted by name. It is read in several requests: a topic
 * deleted between them (another team, a test) makes one of them answer
 * UNKNOWN_TOPIC_OR_PARTITION, so the list is read again from its start, up
 * to 3 times, instead of failing the page.
 */
export async function listTopicSummaries(
  admin: Admin,
  declared: DeclaredTopics,
): Promise<TopicSummary[]> {
  for (let attempt = 1;; attempt++) {
    try {
      return await readTopicSummaries(admin, declared);
    } catch (error) {
      if (!isMissingTopic(error) || attempt >= 3) throw error;
    }
  }
}

async function readTopicSummaries(
  admin: Admin,
  declared: DeclaredTopics,
): Promise<TopicSummary[]> {
  const [{ topics }, cluster] = await Promise.all([
    admin.fetchTopicMetadata(),
    admin.describeCluster(),
  ]);
  const names = topics.map((t) => t.name);
  const configs = await describeTopicConfigs(admin, names);
  const counts = await mapLimit(names, 8, async (name) => {
    const offsets = await partitionOffsets(admin, name);
    return offsets.reduce((sum, o) => sum + Math.max(0, o.end - o.start), 0);
  });
  const rows: TopicSummary[] = topics.map((t, i) => {
    const entries = configs.get(t.name);
    const replicationFactor = Math.max(0, ...t.partitions.map((p) => p.replicas.length));
    const spec = declared.byName.get(t.name);
    return {
      name: t.name,
      exists: true,
      internal: t.name.startsWith("__"),
      partitions: t.partitions.length,
      replicationFactor,
      minInsyncReplicas: configValue(entries, "min.insync.replicas"),
      cleanupPolicy: configValue(entries, "cleanup.policy"),
      retentionMs: configValue(entries, "retention.ms"),
      messages: counts[i],
      declared: spec !== undefined,
      drift: spec
        ? topicDrift(spec, {
          partitions: t.partitions.length,
          replicationFactor,
          configs: entries ?? [],
        }, cluster.brokers.length)
        : [],
    };
  });
  const present = new Set(names);
  for (const [name, spec] of declared.byName) {
    if (present.has(name)) continue;
    rows.push({
      name,
      exists: false,
      internal: false,
      partitions: spec.partitions,
      replicationFactor: 0,
      minInsyncReplicas: null,
      cleanupPolicy: spec.configs["cleanup.policy"] ?? null,
      retentionMs: spec.configs["retention.ms"] ?? null,
      messages: 0,
      declared: true,
      drift: ["declared in kafka-topics.txt, missing on the broker (deno task topics creates it)"],
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
