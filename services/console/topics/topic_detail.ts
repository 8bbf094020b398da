/**
 * One topic as its console page shows it: partitions (leader, replicas,
 * in-sync replicas, start and end offsets), every config with where its
 * value comes from (topic overrides marked), the groups reading it with
 * their lag, and its declaration in kafka-topics.txt with any drift.
 */
import { type Admin, ConfigSource } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import type { DeclaredTopics } from "./declared_topics.ts";
import { topicDrift } from "./topic_drift.ts";
import { groupsReading, type TopicGroup } from "./topic_groups.ts";
import { partitionOffsets } from "./topic_list.ts";

/** One partition of the topic. */
export interface PartitionDetail {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
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

/** Everything the topic page shows; 404 for an unknown topic. */
export async function describeTopic(
  admin: Admin,
  topic: string,
  declared: DeclaredTopics,
): Promise<TopicDetail> {
  await assertTopicExists(admin, topic);
  const [{ topics }, cluster, offsets, configs] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [topic] }),
    admin.describeCluster(),
    partitionOffsets(admin, topic),
    describeTopicConfigs(admin, [topic]),
  ]);
  const meta = topics[0];
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  const partitions = meta.partitions.map((p): PartitionDetail => {
    const o = byPartition.get(p.partitionId) ?? { start: 0, end: 0 };
    return {
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offline: p.offlineReplicas ?? [],
      start: o.start,
      end: o.end,
      messages: Math.max(0, o.end - o.start),
    };
  }).sort((a, b) => a.partition - b.partition);
  const entries = configs.get(topic) ?? [];
  const replicationFactor = Math.max(0, ...partitions.map((p) => p.replicas.length));
  const spec = declared.byName.get(topic);
  const groups = await groupsReading(
    admin,
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
      }, cluster.brokers.length)
      : [],
  };
}
