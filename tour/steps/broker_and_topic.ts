/**
 * Step 1 — broker and topic: describe the cluster (brokers, controller),
 * then create the run's topic through the same provisioning code that
 * applies kafka-topics.txt, and see its partitions and their leaders.
 */
import { withAdmin } from "../../shared/kafka/client.ts";
import { applyTopics, parseTopicsFile } from "../../shared/provision/mod.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

/** The topic steps 1, 2 and 4 share: 3 partitions. */
export const ORDERS_TOPIC = "pedidos";

/** Step 1. */
export const brokerAndTopic: TourStep = {
  title: "Broker and topic",
  concept: "A broker is a Kafka server that stores and serves messages; a cluster is one or more " +
    "of them, with a controller that keeps the metadata (KRaft: no ZooKeeper). A topic is the " +
    "name of a stream of messages, stored as partitions spread over the brokers.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic(ORDERS_TOPIC);
    const line = `${topic}  3  auto`;
    return await withAdmin(tour.admin, async (admin) => {
      const cluster = await admin.describeCluster();
      tour.check(cluster.brokers.length > 0, "the cluster answers with at least one broker");
      const specs = parseTopicsFile(line, { fileName: "tour" });
      const result = await applyTopics(admin, specs);
      tour.check(
        result.created.length === 1 && result.errors.length === 0,
        `the topic ${topic} was created`,
        JSON.stringify(result.errors),
      );
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const brokerIds = new Set(cluster.brokers.map((b) => b.nodeId));
      tour.check(
        meta.partitions.length === 3 && meta.partitions.every((p) => brokerIds.has(p.leader)),
        "it has 3 partitions, each led by one of the cluster's brokers",
        JSON.stringify(meta.partitions),
      );
      return {
        did: [
          `Asked the cluster to describe itself (cluster id ${cluster.clusterId}):`,
          ...table([
            ["broker", "address", "role"],
            ...cluster.brokers.map((b) => [
              b.nodeId,
              `${b.host}:${b.port}`,
              b.nodeId === cluster.controller ? "broker, active controller" : "broker",
            ]),
          ]),
          `Created the topic ${topic} from the topics-file line "${line}" — the same code ` +
          "(shared/provision) that applies kafka-topics.txt at start.",
          ...table([
            ["partition", "leader", "replicas", "in sync"],
            ...meta.partitions.sort((a, b) => a.partitionId - b.partitionId)
              .map((p) => [p.partitionId, p.leader, p.replicas.join(","), p.isr.join(",")]),
          ]),
        ],
        notice: [
          "Each partition has one leader broker that takes its writes and reads; with more " +
          "brokers, the other replicas copy it and take over if it fails (`auto` replication = " +
          "min(3, brokers)).",
          "Topics are created explicitly: the broker refuses to create one on first use " +
          "(auto.create.topics.enable=false), so a typo in a topic name fails instead of " +
          "silently creating a new stream.",
        ],
        commands: [
          "deno task kafka:cli kafka-metadata-quorum describe --status",
          `deno task kafka:cli kafka-topics --describe --topic ${topic}`,
        ],
      };
    });
  },
};
