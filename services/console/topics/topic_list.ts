/**
 * Every topic as the console's topics page lists it: partitions,
 * replication factor, min ISR, cleanup policy, retention, approximate
 * message count (end − start offsets), how many partitions are offline,
 * and whether kafka-topics.txt declares it and how it drifts. Topics the
 * file declares but the broker lacks are listed too, as missing.
 *
 * Read through the kernel's requests over a cluster object's broker
 * connections, a few whatever the number of topics: one Metadata v12 (a
 * partition without a leader stays in the answer with its error, where
 * KafkaJS fails the whole read), ListOffsets to each leader for all its
 * partitions, one DescribeConfigs for every topic. An offline partition is
 * counted as such and left out of the message count.
 */
import type { Admin, ConfigEntries } from "kafkajs";
import { isMissingTopic } from "../../../shared/kafka/errors.ts";
import { mapLimit } from "../../../shared/core/map_limit.ts";
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import { anyConnectedBroker, type KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { readPartitionOffsets } from "../../../shared/kafka/wire/list_offsets.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import type { DeclaredTopics } from "./declared_topics.ts";
import { topicDrift } from "./topic_drift.ts";

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
  /** Partitions without a leader (their messages are not counted). */
  offlinePartitions: number;
  declared: boolean;
  /** Differences from the file (empty: none, or not declared). */
  drift: string[];
}

/** The value of config `name` in `entries`, or null. */
export function configValue(entries: ConfigEntries[] | undefined, name: string): string | null {
  return entries?.find((e) => e.configName === name)?.configValue ?? null;
}

/**
 * The topics list, sorted by name. It is read in several requests: a topic
 * deleted between them (another team, a test) makes DescribeConfigs answer
 * UNKNOWN_TOPIC_OR_PARTITION for the whole request (KafkaJS's parse throws
 * on any resource's error). Its configs are then asked topic by topic, and
 * a topic gone meanwhile is left out of the list. Another read failing on
 * a missing topic (offsets, metadata of a topic being deleted) reads the
 * list again from its start, up to 5 times.
 */
export async function listTopicSummaries(
  cluster: KafkaCluster,
  declared: DeclaredTopics,
): Promise<TopicSummary[]> {
  for (let attempt = 1;; attempt++) {
    try {
      return await readTopicSummaries(cluster, declared);
    } catch (error) {
      if (!isMissingTopic(error) || attempt >= 5) throw error;
    }
  }
}

/** DescribeConfigs of `names`; those deleted meanwhile are missing from the answer. */
async function configsOfExisting(
  broker: Pick<Admin, "describeConfigs">,
  names: string[],
): Promise<Map<string, ConfigEntries[]>> {
  try {
    return await describeTopicConfigs(broker, names);
  } catch (error) {
    if (!isMissingTopic(error)) throw error;
  }
  const byTopic = new Map<string, ConfigEntries[]>();
  await mapLimit(names, 8, async (name) => {
    try {
      const one = await describeTopicConfigs(broker, [name]);
      for (const [topic, entries] of one) byTopic.set(topic, entries);
    } catch (error) {
      if (!isMissingTopic(error)) throw error;
    }
  });
  return byTopic;
}

async function readTopicSummaries(
  cluster: KafkaCluster,
  declared: DeclaredTopics,
): Promise<TopicSummary[]> {
  const metadata = await readTopicMetadata(cluster, null, { from: "any" });
  const topics = metadata.topics.filter((t) => t.errorCode === 0);
  const names = topics.map((t) => t.name);
  const [offsets, configs] = await Promise.all([
    readPartitionOffsets(cluster, topics),
    anyConnectedBroker(cluster).then((broker) => configsOfExisting(broker, names)),
  ]);
  // A topic whose configs could not be read was deleted meanwhile.
  const shown = topics.filter((t) => configs.has(t.name));
  const counts = new Map<string, number>();
  for (const o of offsets) {
    if (o.start === undefined || o.end === undefined) continue;
    counts.set(o.topic, (counts.get(o.topic) ?? 0) + Math.max(0, o.end - o.start));
  }
  const rows: TopicSummary[] = shown.map((t) => {
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
      messages: counts.get(t.name) ?? 0,
      offlinePartitions: t.partitions.filter((p) => p.leader < 0).length,
      declared: spec !== undefined,
      drift: spec
        ? topicDrift(spec, {
          partitions: t.partitions.length,
          replicationFactor,
          configs: entries ?? [],
        }, metadata.brokers.length)
        : [],
    };
  });
  const present = new Set(shown.map((t) => t.name));
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
      offlinePartitions: 0,
      declared: true,
      drift: ["declared in kafka-topics.txt, missing on the broker (deno task topics creates it)"],
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
