/**
 * The cluster's brokers and partitions for the alert rules, from one
 * Metadata answer (the kernel's decoder: KafkaJS's fails a whole answer
 * while a partition has no leader, the very case the `offline` rule is
 * for), as the `monitor` principal (describe only; see docs/operate.md).
 *
 * The connection that answered is kept for the next evaluation: a fresh
 * one every 10 s cost a TCP connection, a SASL handshake (SCRAM's key
 * derivation on both sides) and a thread for it, the largest part of the
 * idle server's own thread. A kept connection that fails or does not
 * answer in time is closed, and the same evaluation asks each bootstrap
 * broker in turn on a fresh one: a broker down is an observation, never
 * a stuck evaluation, as before.
 */
import { errorMessage } from "../../shared/core/errors.ts";
import { createKafka } from "../../shared/kafka/client.ts";
import type { KafkaConfig } from "../../shared/kafka/config.ts";
import { createCluster, type KafkaCluster } from "../../shared/kafka/wire/kafka_cluster.ts";
import { readTopicMetadata } from "../../shared/kafka/wire/metadata_request.ts";
import type { ClusterView } from "./conditions/snapshot.ts";

/** How long the cluster may take to answer one evaluation (ms). */
export const CLUSTER_TIMEOUT_MS = 8_000;

/** How long one broker may take to connect, or to answer on a kept connection (ms). */
const BROKER_TIMEOUT_MS = 3_000;

/** The connection kept from the last answer. */
interface Kept {
  config: KafkaConfig;
  broker: string;
  cluster: KafkaCluster;
}

/** Reads the cluster's brokers and partitions, keeping the connection between reads. */
export class ClusterReader {
  #kept?: Kept;
  #closed = false;
  /** Connections made (a test counts them). */
  connections = 0;

  /**
   * The cluster's brokers and partitions: on the kept connection, else
   * from each bootstrap broker in turn (random order) until one answers;
   * or why none could be read within `timeoutMs`.
   */
  async read(config: KafkaConfig, timeoutMs = CLUSTER_TIMEOUT_MS): Promise<ClusterView> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ClusterView>((resolve) => {
      timer = setTimeout(() => {
        this.#drop(); // a request on it may be what does not answer
        resolve({ error: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#read(config), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the kept connection; later reads connect afresh each time. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#drop();
  }

  async #read(config: KafkaConfig): Promise<ClusterView> {
    const errors: string[] = [];
    const kept = this.#kept;
    if (kept && kept.config === config) {
      try {
        return await viewOf(kept.cluster);
      } catch (error) {
        errors.push(`${kept.broker}: ${errorMessage(error)}`);
        await this.#drop(kept);
      }
    } else if (kept) await this.#drop(kept);
    const order = [...config.brokers].sort(() => Math.random() - 0.5);
    for (const broker of order) {
      const cluster = this.#connectTo(config, broker);
      try {
        await cluster.connect();
        const view = await viewOf(cluster);
        if (this.#closed || this.#kept) await cluster.disconnect().catch(() => {});
        else this.#kept = { config, broker, cluster };
        return view;
      } catch (error) {
        await cluster.disconnect().catch(() => {});
        errors.push(`${broker}: ${errorMessage(error)}`);
      }
    }
    return { error: errors.join("; ") };
  }

  #connectTo(config: KafkaConfig, broker: string): KafkaCluster {
    this.connections++;
    const kafka = createKafka({ ...config, brokers: [broker] }, {
      clientSuffix: "alerts",
      connectionTimeoutMs: BROKER_TIMEOUT_MS,
      requestTimeoutMs: BROKER_TIMEOUT_MS,
      retries: 1,
      quiet: true,
    });
    return createCluster(kafka);
  }

  /** Forgets the kept connection (or `only` that one) and closes it. */
  async #drop(only?: Kept): Promise<void> {
    const kept = this.#kept;
    if (!kept || (only && only !== kept)) return;
    this.#kept = undefined;
    await kept.cluster.disconnect().catch(() => {});
  }
}

/** One Metadata answer of `cluster`: its brokers and every topic's partitions. */
async function viewOf(cluster: KafkaCluster): Promise<ClusterView> {
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
}
