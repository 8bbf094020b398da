/**
 * Kafka's shipped command-line tools that `deno task kafka:cli` runs: the
 * name of each `bin/kafka-X.sh` script and the Java class it starts, from
 * the same Maven jars as the local broker (kafka/pom.xml, Kafka 4.3).
 */

/** A tool: its script name without `.sh`, its main class and what it is for. */
export interface KafkaTool {
  name: string;
  className: string;
  summary: string;
}

/** Every tool `kafka:cli` knows, in the order `--help` lists them. */
export const KAFKA_TOOLS: readonly KafkaTool[] = [
  {
    name: "kafka-topics",
    className: "org.apache.kafka.tools.TopicCommand",
    summary: "list, describe, create, alter and delete topics",
  },
  {
    name: "kafka-console-consumer",
    className: "org.apache.kafka.tools.consumer.ConsoleConsumer",
    summary: "print a topic's messages",
  },
  {
    name: "kafka-console-producer",
    className: "org.apache.kafka.tools.ConsoleProducer",
    summary: "send each line of standard input as a message",
  },
  {
    name: "kafka-consumer-groups",
    className: "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    summary: "list and describe groups (offsets, lag, members), reset offsets",
  },
  {
    name: "kafka-configs",
    className: "kafka.admin.ConfigCommand",
    summary: "describe and alter topic, broker, user and client configs",
  },
  {
    name: "kafka-acls",
    className: "org.apache.kafka.tools.AclCommand",
    summary: "list, add and remove ACL bindings",
  },
  {
    name: "kafka-get-offsets",
    className: "org.apache.kafka.tools.GetOffsetShell",
    summary: "a topic's partition offsets (earliest, latest, by time)",
  },
  {
    name: "kafka-metadata-quorum",
    className: "org.apache.kafka.tools.MetadataQuorumCommand",
    summary: "the KRaft controller quorum (describe --status / --replication)",
  },
  {
    name: "kafka-broker-api-versions",
    className: "org.apache.kafka.tools.BrokerApiVersionsCommand",
    summary: "the API versions each broker supports",
  },
  {
    name: "kafka-log-dirs",
    className: "org.apache.kafka.tools.LogDirsCommand",
    summary: "the brokers' log directories and partition sizes",
  },
  {
    name: "kafka-delete-records",
    className: "org.apache.kafka.tools.DeleteRecordsCommand",
    summary: "delete a partition's records below an offset",
  },
  {
    name: "kafka-transactions",
    className: "org.apache.kafka.tools.TransactionsCommand",
    summary: "transactions and idempotent producers (describe-producers)",
  },
  {
    name: "kafka-leader-election",
    className: "org.apache.kafka.tools.LeaderElectionCommand",
    summary: "elect partition leaders",
  },
  {
    name: "kafka-reassign-partitions",
    className: "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
    summary: "move partitions between brokers",
  },
  {
    name: "kafka-features",
    className: "org.apache.kafka.tools.FeatureCommand",
    summary: "describe and upgrade the cluster's feature levels",
  },
];

/** The tool called `name` (`kafka-topics` or `kafka-topics.sh`), or undefined. */
export function findTool(name: string): KafkaTool | undefined {
  const bare = name.replace(/\.sh$/, "");
  return KAFKA_TOOLS.find((tool) => tool.name === bare);
}
