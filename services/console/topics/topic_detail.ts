/**
 * One topic as its console page shows it: partitions (leader, replicas,
 * in-sync replicas, start and end offsets), every config with where its
 * value comes from (topic overrides marked), the groups reading it with
 * their lag, and its declaration in kafka-topics.txt with any drift.
 *
 * Read through the kernel's requests (as the topic list, topic_list.ts):
 * a partition without a leader is shown offline (leader -1, its offsets
 * unknown) instead of failing the page, as KafkaJS's metadata read would.
 */
import { type Admin, ConfigSource } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import { anyConnectedBroker, type KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { readPartitionOffsets } from "../../../shared/kafka/wire/list_offsets.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import type { DeclaredTopics } from "./declared_topics.ts";
import { topicDrift } from "./topic_drift.ts";
import { groupsReading, type TopicGroup } from "./topic_groups.ts";

/** One partition of the topic. */
export interface PartitionDetail {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
  /** Whether the partition has no leader: nothing can be read or written (offsets unknown, shown as 0). */
  leaderless: boolean;
  start: number;
  end: number;
  messages: number;
}

/** One config of the topic. */
export interface TopicConfig {
  name: string;
  /** Null for a sensitive value (never shown). */
  value: string | null;
  /** `topic` (an override of this topic), `broker`, `default`, … */
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

/** The topic page's data. */
export interface TopicDetail {
  name: string;
  partitions: PartitionDetail[];
  replicationFactor: number;
  messages: number;
  configs: TopicConfig[];
  groups: TopicGroup[];
  declared: boolean;
  /** The topic's line in kafka-topics.txt, if declared. */
  declaration: string | null;
  drift: string[];
}

const SOURCES: Record<number, string> = {
  [ConfigSource.TOPIC_CONFIG]: "topic",
  [ConfigSource.DYNAMIC_BROKER_CONFIG]: "broker (dynamic)",
  [ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]: "cluster default (dynamic)",
  [ConfigSource.STATIC_BROKER_CONFIG]: "broker",
  [ConfigSource.DEFAULT_CONFIG]: "default",
  [ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG]: "broker logger",
};

/** Whether the broker has `topic` (404 otherwise). */
export async function assertTopicExists(admin: Admin, topic: string): Promise<void> {
  const names = await admin.listTopics();
  if (!names.includes(topic)) throw new HttpError(404, `no topic ${topic} on the broker`);
}

/** UNKNOWN_TOPIC_OR_PARTITION in a Metadata answer. */
const UNKNOWN_TOPIC = 3;

/** Everything the topic page shows; 404 for an unknown topic. */
export async function describeTopic(
  cluster: KafkaCluster,
  topic: string,
  declared: DeclaredTopics,
): Promise<TopicDetail> {
  let metadata = await readTopicMetadata(cluster, [topic], { from: "any" });
  // A topic just created may not be in the answering broker's metadata yet: asked twice more.
  for (let retry = 1; retry <= 2 && metadata.topics[0]?.errorCode === UNKNOWN_TOPIC; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 150 * retry));
    metadata = await readTopicMetadata(cluster, [topic], { from: "any" });
  }
  const meta = metadata.topics.find((t) => t.name === topic);
  // Unknown (3) or not authorised (29): not listed for this principal, as `admin.listTopics` says.
  if (!meta || meta.errorCode !== 0) throw new HttpError(404, `no topic ${topic} on the broker`);
  const [offsets, configs] = await Promise.all([
    readPartitionOffsets(cluster, [meta]),
    anyConnectedBroker(cluster).then((broker) => describeTopicConfigs(broker, [topic])),
  ]);
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  const partitions = meta.partitions.map((p): PartitionDetail => {
    const o = byPartition.get(p.partition);
    const start = o?.start ?? 0;
    const end = o?.end ?? 0;
    return {
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offline: p.offlineReplicas,
      leaderless: p.leader < 0,
      start,
      end,
      messages: Math.max(0, end - start),
    };
  }).sort((a, b) => a.partition - b.partition);
  const entries = configs.get(topic) ?? [];
  const replicationFactor = Math.max(0, ...partitions.map((p) => p.replicas.length));
  const spec = declared.byName.get(topic);
  const groups = await groupsReading(
    cluster,
    metadata.brokers.map((b) => b.nodeId),
    topic,
    new Map(partitions.map((p) => [p.partition, p.end])),
  );
  return {
    name: topic,
    partitions,
    replicationFactor,
    messages: partitions.reduce((sum, p) => sum + p.messages, 0),
    configs: entries.map((e) => ({
      name: e.configName,
      value: e.isSensitive ? null : e.configValue,
      source: SOURCES[e.configSource] ?? "unknown",
      readOnly: e.readOnly,
      sensitive: e.isSensitive,
    })).sort((a, b) => a.name.localeCompare(b.name)),
    groups,
    declared: spec !== undefined,
    declaration: spec
      ? [
        spec.name,
        spec.partitions,
        spec.replicationFactor,
        ...Object.entries(spec.configs).map(([k, v]) => `${k}=${v}`),
      ].join(" ")
      : null,
    drift: spec
      ? topicDrift(spec, {
        partitions: partitions.length,
        replicationFactor,
        configs: entries,
      }, metadata.brokers.length)
      : [],
  };
}
