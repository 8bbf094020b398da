/**
 * Reads a snapshot for the conditions (conditions/snapshot.ts): the
 * monitor's database through the server's `Databases`, the consumers'
 * reports from the server's store, and — only when a rule needs it — the
 * cluster's brokers and partitions (cluster_reader.ts), bounded by a
 * timeout: a cluster that does not answer is an observation
 * (unreachable), never a stuck evaluation.
 */
import type { KafkaConfig } from "../../shared/kafka/config.ts";
import type { KernelServices } from "../../shared/web/services.ts";
import { monitorReader } from "../monitor/mod.ts";
import type { ClusterReader } from "./cluster_reader.ts";
import type { Snapshot } from "./conditions/snapshot.ts";
import { needsCluster } from "./conditions/observe.ts";
import { monitorView } from "./monitor_source.ts";
import type { AlertRule } from "./rules/rule.ts";

/** The snapshot reader of a web server. */
export function snapshotSource(
  kernel: Pick<KernelServices, "databases" | "statuses" | "staleAfterMs" | "topicPrefix">,
  kafka: () => KafkaConfig,
  clusterReader: ClusterReader,
): (rules: readonly AlertRule[], now: number) => Promise<Snapshot> {
  return async (rules, now) => {
    const cluster = needsCluster(rules) ? await clusterReader.read(kafka()) : undefined;
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
