/**
 * The console's sections, in the order its pages list them. Every console
 * page shows them (`ConsoleNav`), and the `/console` landing page
 * describes them.
 */

/** One section of the console. */
export interface ConsoleSection {
  href: string;
  label: string;
  description: string;
}

/** Every section of the console. */
export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  {
    href: "/console/cluster",
    label: "Cluster",
    description:
      "Brokers (rack, address, Kafka release, log directories and free space), the KRaft controller, features, partitions offline, under min ISR or under-replicated, topics by size on disk.",
  },
  {
    href: "/console/topics",
    label: "Topics",
    description:
      "Every topic: partitions, replication, configs, message counts, drift from kafka-topics.txt; create, grow, configure, delete; produce a message.",
  },
  {
    href: "/console/messages",
    label: "Messages",
    description:
      "Browse and search a topic's messages: newest, oldest, an offset or a time; key, value and header filters; live tail.",
  },
  {
    href: "/console/groups",
    label: "Groups",
    description:
      "Consumer groups: members, offsets and lag; reset offsets with a preview, delete an empty group.",
  },
  {
    href: "/console/dlq",
    label: "Dead letters",
    description:
      "Every dead-letter topic (Freshet's, Spring Kafka's, Kafka Connect's), why each message landed there, and redrive.",
  },
  {
    href: "/console/schemas",
    label: "Schemas",
    description:
      "The Schema Registry's subjects: every version of each Avro, Protobuf or JSON Schema schema.",
  },
  {
    href: "/console/acls",
    label: "ACLs",
    description: "The broker's ACLs by principal, compared with kafka-acls.txt; SCRAM users.",
  },
  {
    href: "/console/audit",
    label: "Audit",
    description: "Every operator action and login: who, what, when, result.",
  },
];
