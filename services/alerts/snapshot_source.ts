/**
 * Reads a snapshot for the conditions (conditions/snapshot.ts): the
 * monitor's database through the server's `Databases`, the consumers'
 * reports from the server's store, and — only when a rule needs it — the
 * cluster's brokers and partitions, from one Metadata answer on a fresh
 * connection (the kernel's decoder: KafkaJS's fails a whole answer while
 * a partition has no leader, the very case the `offline` rule is for),
 * as the `monitor` principal (describe only; see
 * docs/operate.md), bounded by a timeout: a cluster that does not answer
 * is an observation (unreachable), never a stuck evaluation.
 */
import { errorMessage } from "../../shared/core/errors.ts";
import { createKafka } from "../../shared/kafka/client.ts";
import { createCluster } from "../../shared/kafka/wire/kafka_cluster.ts";
import { readTopicMetadata } from "../../shared/kafka/wire/metadata_request.ts";
import type { KafkaConfig } from "../../shared/kafka/config.ts";
import type { KernelServices } from "../../shared/web/services.ts";
import { monitorReader } from "../monitor/mod.ts";
import type { ClusterView, Snapshot } from "./conditions/snapshot.ts";
import { needsCluster } from "./conditions/observe.ts";
import { monitorView } from "./monitor_source.ts";
import type { AlertRule } from "./rules/rule.ts";

/** How long the cluster may take to answer one evaluation (ms). */
export const CLUSTER_TIMEOUT_MS = 8_000;

/** One broker's answer: the cluster's brokers and partitions. */
async function readThrough(config: KafkaConfig, broker: string): Promise<ClusterView> {
  const kafka = createKafka({ ...config, brokers: [broker] }, {
    clientSuffix: "alerts",
    connectionTimeoutMs: 3_000,
    retries: 1,
    quiet: true,
  });
  const cluster = createCluster(kafka);
  try {
    await cluster.connect();
    const metadata = await readTopicMetadata(cluster, null, { from: "any" });
    return {
      brokers: metadata.brokers.map((b) => ({ id: b.nodeId, host: `${b.host}:${b.port}` })),
      topics: metadata.topics.filter((t) => t.errorCode === 0).map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
        })),
      })),
    };
  } finally {
    await cluster.disconnect().catch(() => {});
  }
}

/**
 * The cluster's brokers and partitions, asked of each bootstrap broker in
 * turn (in random order) until one answers — a broker down is an
 * observation, not an unreachable cluster — or why none could be read.
 */
export async function readCluster(
  config: KafkaConfig,
  timeoutMs = CLUSTER_TIMEOUT_MS,
): Promise<ClusterView> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ClusterView>((resolve) => {
    timer = setTimeout(() => resolve({ error: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const read = (async (): Promise<ClusterView> => {
    const errors: string[] = [];
    const order = [...config.brokers].sort(() => Math.random() - 0.5);
    for (const broker of order) {
      try {
        return await readThrough(config, broker);
      } catch (error) {
        errors.push(`${broker}: ${errorMessage(error)}`);
      }
    }
    return { error: errors.join("; ") };
  })();
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The snapshot reader of a web server. */
export function snapshotSource(
  kernel: Pick<KernelServices, "databases" | "statuses" | "staleAfterMs" | "topicPrefix">,
  kafka: () => KafkaConfig,
): (rules: readonly AlertRule[], now: number) => Promise<Snapshot> {
  return async (rules, now) => {
    const cluster = needsCluster(rules) ? await readCluster(kafka()) : undefined;
    let monitor;
    try {
      const { db, settings } = monitorReader(kernel);
      monitor = monitorView(db, settings);
    } catch {
      monitor = undefined; // no monitor database yet: the rules on groups and dead letters wait
    }
    return {
      now,
      topicPrefix: kernel.topicPrefix,
      monitor,
      consumers: kernel.statuses.list().map((r) => ({
        name: r.status.name,
        groupId: r.status.groupId,
        state: r.status.state,
        lastError: r.status.lastError,
        receivedAt: r.receivedAt,
      })),
      staleAfterMs: kernel.staleAfterMs,
      cluster,
    };
  };
}
