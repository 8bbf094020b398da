/**
 * A local cluster whose clients reach every broker through a fault proxy
 * (fault_proxy.ts): node i listens on `nodeHost + i` and advertises its
 * proxy, `proxyHost + i`, both on `port`. The brokers replicate through
 * the proxies too, so cutting a broker's proxy partitions it from
 * everyone. The cluster runs in a child process (killed with the test);
 * the proxies run in this one. Kafka clients are built for the proxies'
 * addresses.
 */
import type { Kafka } from "kafkajs";
import { nextAddress } from "../../kafka/broker_config.ts";
import { createKafka } from "../../shared/kafka/client.ts";
import { type ClusterProcess, spawnLocalCluster } from "../local_cluster_helpers.ts";
import { FaultProxy } from "./fault_proxy.ts";

/** A running proxied cluster. */
export interface ProxiedCluster {
  /** What clients use: the proxies' `host:port`. */
  brokers: string[];
  /** Node i's proxy at index i - 1. */
  proxies: FaultProxy[];
  /** The cluster process: `kill`, `start`, `stop`, `pause`, `resume` a node by id. */
  process: ClusterProcess;
  /** Sends a command to the cluster process and waits for its answer line. */
  command(verb: "kill" | "start" | "stop" | "pause" | "resume", id: number): Promise<void>;
  /** An admin-principal client through the proxies. */
  adminKafka(clientId?: string): Kafka;
  /** Stops the cluster and the proxies, and removes the cluster's data. */
  close(): Promise<void>;
}

/** Options of `startProxiedCluster`. */
export interface ProxiedClusterOptions {
  nodes: number;
  /** Address of node 1 (e.g. 127.0.0.31). */
  nodeHost: string;
  /** Address of node 1's proxy (e.g. 127.0.0.34). */
  proxyHost: string;
  port: number;
}

const ANSWERS = {
  kill: "KILLED",
  start: "STARTED",
  stop: "STOPPED",
  pause: "PAUSED",
  resume: "RESUMED",
} as const;

/** Starts the proxies, then the cluster advertising them. */
export async function startProxiedCluster(options: ProxiedClusterOptions): Promise<ProxiedCluster> {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-proxied-cluster-" });
  const proxies = Array.from({ length: options.nodes }, (_, i) =>
    new FaultProxy({
      listen: { hostname: nextAddress(options.proxyHost, i), port: options.port },
      target: { hostname: nextAddress(options.nodeHost, i), port: options.port },
    }));
  for (const proxy of proxies) proxy.start();
  const process = spawnLocalCluster({
    dataDir,
    basePort: options.port,
    brokers: options.nodes,
    firstHost: options.nodeHost,
    advertised: Object.fromEntries(proxies.map((p, i) => [i + 1, p.address])),
  });
  const close = async () => {
    await process.kill();
    for (const proxy of proxies) proxy.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  try {
    const ready = (await process.readLine("READY ", 180_000)).slice(6).split(",");
    return {
      brokers: ready,
      proxies,
      process,
      async command(verb, id) {
        await process.send(`${verb} ${id}`);
        await process.readLine(`${ANSWERS[verb]} ${id}`, 120_000);
      },
      adminKafka: (clientId = "proxied-admin") =>
        createKafka({
          brokers: [ready[0]],
          local: true,
          clientId,
          sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
        }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The one-node proxied cluster of the finding tests (127.0.0.37 behind 127.0.0.38:39792). */
export function startProxiedNode(): Promise<ProxiedCluster> {
  return startProxiedCluster({
    nodes: 1,
    nodeHost: "127.0.0.37",
    proxyHost: "127.0.0.38",
    port: 39792,
  });
}
