/**
 * The cluster at a glance (issue 20, item 3), as the console's principal
 * sees it: every broker with its rack, address, Kafka release and log
 * directories (size, free space), brokers the partitions or the quorum name
 * that are not up, the KRaft controller (DescribeQuorum) and the quorum's
 * voters, the finalized features (`metadata.version` first), the
 * partitions under-replicated, offline or under their topic's
 * `min.insync.replicas`, and each topic's size on disk per broker. Sent
 * over KafkaJS's connections: Metadata (all topics, read by the kernel's
 * own decoder: KafkaJS's fails the whole answer when a partition has no
 * leader — the very partitions shown here as offline), DescribeConfigs (the
 * topics' minimum ISR), and per broker ApiVersions and DescribeLogDirs; a
 * broker that does not answer in `brokerTimeoutMs` is shown so, not fatal.
 */
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import {
  anyConnectedBroker,
  type ClusterBroker,
  type KafkaCluster,
} from "../../../shared/kafka/wire/kafka_cluster.ts";
import {
  type ApiVersionsAnswer,
  apiVersionsRequest,
  UNSUPPORTED_VERSION,
} from "../../../shared/kafka/wire/api_versions.ts";
import {
  describeLogDirsRequest,
  type LogDirsAnswer,
} from "../../../shared/kafka/wire/describe_log_dirs.ts";
import {
  describeQuorumRequest,
  type QuorumAnswer,
} from "../../../shared/kafka/wire/describe_quorum.ts";
import { metadataVersionName, releaseOf } from "../../../shared/kafka/wire/metadata_versions.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import { errorMessage } from "../../../shared/core/errors.ts";
import { type PartitionHealth, partitionHealth, type PartitionState } from "./partition_health.ts";

/** One log directory of a broker. */
export interface LogDirView {
  path: string;
  /** Kafka's error for the directory (offline disk, …), null when fine. */
  error: string | null;
  /** Bytes of every replica in it. */
  sizeBytes: number;
  /** The volume's size and free space; null when the broker cannot tell. */
  totalBytes: number | null;
  usableBytes: number | null;
}

/** One broker. */
export interface BrokerView {
  id: number;
  /** `host:port` it advertises; null for a broker known only from replicas or the quorum. */
  address: string | null;
  rack: string | null;
  /** Up: in the cluster's metadata and answering. */
  state: "up" | "unreachable" | "down";
  /** Why it is not up (or what it would not tell). */
  problem: string | null;
  /** The Kafka release its software is (from the highest `metadata.version` it supports). */
  release: string | null;
  isController: boolean;
  /** Partitions it leads and replicas it holds. */
  leaders: number;
  replicas: number;
  logDirs: LogDirView[];
  /** Bytes of all its replicas (null when it did not say). */
  sizeBytes: number | null;
}

/** A feature of the cluster. */
export interface FeatureView {
  name: string;
  /** Level finalized for the cluster (null: not finalized). */
  level: number | null;
  /** Its name for `metadata.version` (`4.3-IV0`). */
  label: string | null;
  /** The range every answering broker supports. */
  supportedMin: number | null;
  supportedMax: number | null;
}

/** A topic's size on disk. */
export interface TopicSizeView {
  topic: string;
  partitions: number;
  replicationFactor: number;
  /** Bytes of all its replicas, and by broker id. */
  sizeBytes: number;
  byBroker: Record<string, number>;
  underReplicated: number;
  offline: number;
  underMinIsr: number;
}

/** The answer of `GET /api/cluster` and what `/console/cluster` shows. */
export interface ClusterOverview {
  clusterId: string | null;
  /** When it was read (ISO 8601). */
  at: string;
  /** The active KRaft controller (the metadata quorum's leader), null when unknown. */
  controller: number | null;
  quorum: {
    leaderEpoch: number;
    highWatermark: number;
    voters: { id: number; lag: number; lastCaughtUp: string | null }[];
    observers: { id: number; lag: number; lastCaughtUp: string | null }[];
  } | null;
  /** Why the quorum could not be described (null when it was). */
  quorumProblem: string | null;
  /** The Kafka release every answering broker runs, or each one's when they differ. */
  kafka: { releases: string[]; metadataVersion: string | null };
  features: FeatureView[];
  brokers: BrokerView[];
  partitions: PartitionHealth;
  topics: TopicSizeView[];
}

/** Options of `clusterOverview`. */
export interface ClusterOverviewOptions {
  /** How long one broker may take to answer ApiVersions and DescribeLogDirs (default 5,000). */
  brokerTimeoutMs?: number;
  now?: number;
}

const ERRORS: Record<number, string> = {
  31: "CLUSTER_AUTHORIZATION_FAILED: the console's principal needs DESCRIBE on the cluster",
  35: "UNSUPPORTED_VERSION",
  56: "KAFKA_STORAGE_ERROR: the log directory is offline",
};

const errorName = (code: number) => ERRORS[code] ?? `Kafka error ${code}`;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface BrokerAnswers {
  versions?: ApiVersionsAnswer;
  logDirs?: LogDirsAnswer;
  problem?: string;
}

async function askBroker(
  cluster: KafkaCluster,
  id: number,
  timeoutMs: number,
): Promise<BrokerAnswers> {
  const answers: BrokerAnswers = {};
  let broker: ClusterBroker;
  try {
    broker = await within(cluster.findBroker({ nodeId: String(id) }), timeoutMs, `broker ${id}`);
  } catch (error) {
    return { problem: errorMessage(error) };
  }
  const askVersions = async () => {
    const v4 = await broker.connectionPool.send(apiVersionsRequest(4));
    return v4.errorCode === UNSUPPORTED_VERSION
      ? await broker.connectionPool.send(apiVersionsRequest(3))
      : v4;
  };
  const [versions, logDirs] = await Promise.allSettled([
    within(askVersions(), timeoutMs, `broker ${id}`),
    within(broker.connectionPool.send(describeLogDirsRequest()), timeoutMs, `broker ${id}`),
  ]);
  if (versions.status === "fulfilled") answers.versions = versions.value;
  else answers.problem = errorMessage(versions.reason);
  if (logDirs.status === "fulfilled") {
    answers.logDirs = logDirs.value;
    if (logDirs.value.errorCode !== 0) {
      answers.problem = `log directories: ${errorName(logDirs.value.errorCode)}`;
    }
  } else {
    answers.problem ??= `log directories: ${errorMessage(logDirs.reason)}`;
  }
  return answers;
}

async function describeQuorum(cluster: KafkaCluster, ids: number[], timeoutMs: number) {
  let problem = "no broker answered";
  for (const id of ids) {
    try {
      const broker = await within(cluster.findBroker({ nodeId: String(id) }), timeoutMs, "quorum");
      const answer: QuorumAnswer = await within(
        broker.connectionPool.send(describeQuorumRequest()),
        timeoutMs,
        "DescribeQuorum",
      );
      if (answer.errorCode !== 0) return { problem: errorName(answer.errorCode) };
      return { answer };
    } catch (error) {
      problem = errorMessage(error);
    }
  }
  return { problem };
}

function minIsrOf(configs: Map<string, { configName: string; configValue: string }[]>) {
  const minIsr = new Map<string, number>();
  for (const [topic, entries] of configs) {
    const value = entries.find((e) => e.configName === "min.insync.replicas")?.configValue;
    if (value !== undefined && Number.isInteger(Number(value))) minIsr.set(topic, Number(value));
  }
  return minIsr;
}

function logDirViews(answer: LogDirsAnswer | undefined): LogDirView[] {
  return (answer?.dirs ?? []).map((dir) => ({
    path: dir.path,
    error: dir.errorCode === 0 ? null : errorName(dir.errorCode),
    sizeBytes: dir.topics.reduce(
      (sum, t) => sum + t.partitions.reduce((s, p) => s + (p.isFuture ? 0 : p.sizeBytes), 0),
      0,
    ),
    totalBytes: dir.totalBytes >= 0 ? dir.totalBytes : null,
    usableBytes: dir.usableBytes >= 0 ? dir.usableBytes : null,
  }));
}

function features(answers: BrokerAnswers[]): FeatureView[] {
  const versions = answers.flatMap((a) => (a.versions ? [a.versions] : []));
  const names = new Set(versions.flatMap((v) => [
    ...v.finalizedFeatures.map((f) => f.name),
    ...v.supportedFeatures.map((f) => f.name),
  ]));
  const views = [...names].map((name): FeatureView => {
    const finalized = versions.map((v) => v.finalizedFeatures.find((f) => f.name === name))
      .find((f) => f !== undefined);
    const supported = versions.map((v) => v.supportedFeatures.find((f) => f.name === name))
      .filter((f) => f !== undefined);
    const level = finalized?.max ?? null;
    return {
      name,
      level,
      label: name === "metadata.version" && level !== null ? metadataVersionName(level) : null,
      supportedMin: supported.length ? Math.max(...supported.map((f) => f.min)) : null,
      supportedMax: supported.length ? Math.min(...supported.map((f) => f.max)) : null,
    };
  });
  return views.sort((a, b) =>
    Number(b.name === "metadata.version") - Number(a.name === "metadata.version") ||
    a.name.localeCompare(b.name)
  );
}

function releaseOfBroker(answers: BrokerAnswers): string | null {
  const max = answers.versions?.supportedFeatures.find((f) => f.name === "metadata.version")?.max;
  if (max === undefined) return null;
  return releaseOf(max) ?? `newer than 4.4 (metadata.version level ${max})`;
}

/** Reads the overview as the console's principal. */
export async function clusterOverview(
  cluster: KafkaCluster,
  options: ClusterOverviewOptions = {},
): Promise<ClusterOverview> {
  const timeoutMs = options.brokerTimeoutMs ?? 5_000;
  const metadata = await readTopicMetadata(cluster, null, { from: "any" });
  // KafkaJS's own list of brokers, which `findBroker` connects from (a
  // brokers-only refresh on the console's broker cluster object): a broker
  // it cannot find is shown unreachable with the reason.
  await cluster.refreshMetadata().catch(() => {});
  const topicMetadata = metadata.topics.filter((t) => t.errorCode === 0);
  const topicNames = topicMetadata.map((t) => t.name).sort();
  const liveIds = metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  const [configs, answers, quorum] = await Promise.all([
    anyConnectedBroker(cluster).then((broker) => describeTopicConfigs(broker, topicNames))
      .catch(() => new Map()),
    Promise.all(liveIds.map((id) => askBroker(cluster, id, timeoutMs))),
    describeQuorum(cluster, liveIds, timeoutMs),
  ]);
  const answersById = new Map(liveIds.map((id, i) => [id, answers[i]]));

  const partitions: PartitionState[] = topicMetadata.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offline: p.offlineReplicas,
    }))
  );
  const health = partitionHealth(partitions, minIsrOf(configs));

  // Brokers: those in the metadata, then those only replicas or the quorum name (not up).
  const named = new Set<number>(liveIds);
  for (const p of partitions) p.replicas.forEach((r) => named.add(r));
  for (const v of quorum.answer?.voters ?? []) named.add(v.replicaId);
  const raw = new Map(metadata.brokers.map((b) => [b.nodeId, b]));
  const controller = quorum.answer && quorum.answer.leaderId >= 0 ? quorum.answer.leaderId : null;
  const brokers = [...named].sort((a, b) => a - b).map((id): BrokerView => {
    const b = raw.get(id);
    const a = answersById.get(id);
    const logDirs = logDirViews(a?.logDirs);
    const up = b !== undefined && a?.versions !== undefined;
    return {
      id,
      address: b ? `${b.host}:${b.port}` : null,
      rack: b?.rack ?? null,
      state: b === undefined ? "down" : up ? "up" : "unreachable",
      problem: b === undefined
        ? "not in the cluster's metadata: stopped, or not registered"
        : a?.problem ?? null,
      release: a ? releaseOfBroker(a) : null,
      isController: id === controller,
      leaders: partitions.filter((p) => p.leader === id).length,
      replicas: partitions.filter((p) => p.replicas.includes(id)).length,
      logDirs,
      sizeBytes: a?.logDirs ? logDirs.reduce((s, d) => s + d.sizeBytes, 0) : null,
    };
  });

  // Sizes per topic and broker from every broker's log directories.
  const sizes = new Map<string, Record<string, number>>();
  for (const [id, a] of answersById) {
    for (const dir of a.logDirs?.dirs ?? []) {
      for (const t of dir.topics) {
        const bytes = t.partitions.reduce((s, p) => s + (p.isFuture ? 0 : p.sizeBytes), 0);
        const byBroker = sizes.get(t.topic) ?? {};
        byBroker[id] = (byBroker[id] ?? 0) + bytes;
        sizes.set(t.topic, byBroker);
      }
    }
  }
  const countIn = (list: PartitionState[], topic: string) =>
    list.filter((p) => p.topic === topic).length;
  const topics = topicMetadata.map((t): TopicSizeView => {
    const byBroker = sizes.get(t.name) ?? {};
    return {
      topic: t.name,
      partitions: t.partitions.length,
      replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
      sizeBytes: Object.values(byBroker).reduce((s, n) => s + n, 0),
      byBroker,
      underReplicated: countIn(health.underReplicated, t.name),
      offline: countIn(health.offline, t.name),
      underMinIsr: countIn(health.underMinIsr, t.name),
    };
  }).sort((a, b) => b.sizeBytes - a.sizeBytes || a.topic.localeCompare(b.topic));

  const now = options.now ?? Date.now();
  const replicaView = (r: QuorumAnswer["voters"][number]) => ({
    id: r.replicaId,
    lag: Math.max(0, (quorum.answer?.highWatermark ?? 0) - r.logEndOffset),
    lastCaughtUp: r.lastCaughtUpTimestamp > 0
      ? new Date(r.lastCaughtUpTimestamp).toISOString()
      : null,
  });
  const featureViews = features(answers);
  const releases = [...new Set(brokers.flatMap((b) => (b.release ? [b.release] : [])))].sort();
  return {
    clusterId: metadata.clusterId ?? null,
    at: new Date(now).toISOString(),
    controller,
    quorum: quorum.answer
      ? {
        leaderEpoch: quorum.answer.leaderEpoch,
        highWatermark: quorum.answer.highWatermark,
        voters: quorum.answer.voters.map(replicaView),
        observers: quorum.answer.observers.map(replicaView),
      }
      : null,
    quorumProblem: quorum.answer ? null : quorum.problem ?? null,
    kafka: {
      releases,
      metadataVersion: featureViews.find((f) => f.name === "metadata.version")?.label ?? null,
    },
    features: featureViews,
    brokers,
    partitions: health,
    topics,
  };
}
