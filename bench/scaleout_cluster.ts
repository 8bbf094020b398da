/**
 * The scale-out section's own 3-node cluster, never the shared broker: on
 * loopback addresses no test or tool uses (127.0.0.71–73, port 39892; the
 * fault campaign has 127.0.0.31–36, the tests 127.0.0.2–9, 31–39, 51–53 and
 * 61–63), its data in a folder the caller removes. Gives an admin client,
 * the pid of each broker's JVM (for its CPU time) and a way to put the
 * doctor's topics under a prefix with 12 partitions, replicated 3 times,
 * the doctor principal allowed on them as kafka-acls.txt allows it on the
 * unprefixed ones.
 */
import type { Kafka } from "kafkajs";
import { localPasswords, ROOT } from "../kafka/ensure.ts";
import { type LocalCluster, startLocalCluster } from "../kafka/local_cluster.ts";
import { PRINCIPALS } from "../freshet.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import {
  createBindings,
  DEFAULT_ACLS_FILE,
  readAclsFile,
  waitUntilReady,
} from "../shared/provision/mod.ts";
import { findProcesses, ProcReader } from "./proc_cpu.ts";

/** Where the section's cluster listens. */
export const SCALEOUT_CLUSTER = { nodes: 3, firstHost: "127.0.0.71", port: 39892 };

/** The section's running cluster. */
export interface ScaleoutCluster {
  cluster: LocalCluster;
  /** `host:port` of every broker. */
  brokers: string[];
  /** Admin-principal client. */
  kafka: Kafka;
  /** The JVM of each broker, by label (`broker-1`…). */
  brokerPids: Record<string, number>;
  /** Reads /proc for the section's CPU figures. */
  proc: ProcReader;
  stop(): Promise<void>;
}

/** Starts the cluster with its data in `dataDir`. */
export async function startScaleoutCluster(dataDir: string): Promise<ScaleoutCluster> {
  const cluster = await startLocalCluster({
    root: ROOT,
    dataDir,
    brokers: SCALEOUT_CLUSTER.nodes,
    basePort: SCALEOUT_CLUSTER.port,
    firstHost: SCALEOUT_CLUSTER.firstHost,
    passwords: localPasswords(),
    javaHome: Deno.env.get("JAVA_HOME"),
  });
  const proc = new ProcReader();
  const stop = async () => {
    await proc.close();
    await cluster.stop();
  };
  try {
    const brokerPids: Record<string, number> = {};
    for (const node of cluster.nodes) {
      const pids = await findProcesses(proc, "java", `${node.dir}/server.properties`);
      if (pids.length !== 1) {
        throw new Error(`expected one JVM for node ${node.id}, found ${pids.length}`);
      }
      brokerPids[`broker-${node.id}`] = pids[0];
    }
    const kafka = createKafka(
      loadKafkaConfig("admin", { KAFKA_BROKERS: cluster.brokers.join(",") }),
      // Quiet: waiting for new topics' leaders logs every refusal on the way; errors still throw.
      { clientSuffix: "bench-scaleout", quiet: true },
    );
    return { cluster, brokers: cluster.brokers, kafka, brokerPids, proc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Creates the doctor's topics under `prefix` (`demands.created` and
 * `demands.assumed` with `partitions` partitions, their dead-letter topics
 * with one, all replicated on every node) and the doctor principal's
 * bindings of kafka-acls.txt, its topics moved under the prefix. Returns
 * the prefixed `demands.created`.
 */
export async function createDoctorTopics(
  kafka: Kafka,
  prefix: string,
  partitions: number,
): Promise<string> {
  const created = `${prefix}${DEMANDS_CREATED}`;
  const assumed = `${prefix}${DEMANDS_ASSUMED}`;
  const file = await readAclsFile(DEFAULT_ACLS_FILE, { principals: PRINCIPALS });
  const bindings = file
    .filter((b) => b.principal === "doctor")
    .map(({ line: _line, ...b }) =>
      b.resourceType === "topic" ? { ...b, resourceName: `${prefix}${b.resourceName}` } : b
    );
  const replicationFactor = SCALEOUT_CLUSTER.nodes;
  await withAdmin(kafka, async (admin) => {
    // KafkaJS's waitForLeaders asks the broker that created them, which may not know them yet
    // (UNKNOWN_TOPIC_OR_PARTITION, not retried): waitUntilReady retries until the leaders answer.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic: created, numPartitions: partitions, replicationFactor },
        { topic: assumed, numPartitions: partitions, replicationFactor },
        { topic: `${created}.dlq`, numPartitions: 1, replicationFactor },
        { topic: `${assumed}.dlq`, numPartitions: 1, replicationFactor },
      ],
    });
    await waitUntilReady(admin, [
      { name: created, partitions },
      { name: assumed, partitions },
    ], { timeoutMs: 60_000 });
    await createBindings(admin, bindings);
  });
  return created;
}

/** Deletes the topics under `prefix` (their data would fill the folder run after run). */
export async function deleteTopicsUnder(kafka: Kafka, prefix: string): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
}
