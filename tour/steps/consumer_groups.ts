/**
 * Step 5 — consumer groups: two members of one group split the partitions
 * of a topic between them (each message reaches one of them), while a
 * second group, reading the same topic, receives every message.
 */
import type { Consumer } from "kafkajs";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

interface Member {
  name: string;
  consumer: Consumer;
  assigned: number[];
  read: { partition: number; key: string }[];
}

async function startMember(tour: Tour, topic: string, group: string, name: string) {
  const consumer = tour.track(tour.admin.consumer({
    groupId: group,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 300,
    sessionTimeout: 10_000,
  }));
  const member: Member = { name, consumer, assigned: [], read: [] };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    member.assigned = [...(payload.memberAssignment[topic] ?? [])].sort();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      member.read.push({ partition, key: message.key?.toString() ?? "" });
      await Promise.resolve();
    },
  });
  return member;
}

/** Step 5. */
export const consumerGroups: TourStep = {
  title: "Consumer groups",
  concept:
    "The consumers of one group share the work: each partition is read by exactly one member, " +
    "and when members come or go Kafka reassigns the partitions (a rebalance). Every group reads " +
    "the whole topic for itself — two services reading one topic use two groups.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("grupos");
    await tour.createTopics([`${topic}  3  auto`]);
    const groupA = tour.group("estoque");
    const groupB = tour.group("relatorios");
    const a1 = await startMember(tour, topic, groupA, "A-1");
    const a2 = await startMember(tour, topic, groupA, "A-2");
    const b = await startMember(tour, topic, groupB, "B-1");
    tour.say(`waiting for ${groupA} to split the partitions between its two members…`);
    await tour.eventually(
      `the two members of ${groupA} split the 3 partitions, each holding some`,
      () => {
        const all = [...a1.assigned, ...a2.assigned].sort();
        return a1.assigned.length > 0 && a2.assigned.length > 0 && all.join() === "0,1,2";
      },
      { timeoutMs: 45_000, detail: () => `A-1 ${a1.assigned}, A-2 ${a2.assigned}` },
    );
    await tour.eventually(
      `${groupB}'s one member holds all 3`,
      () => b.assigned.join() === "0,1,2",
    );

    const keys = Array.from({ length: 12 }, (_, i) => `pedido-${i + 1}`);
    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    await producer.send({
      topic,
      messages: keys.map((key) => ({
        key,
        value: JSON.stringify({ event: "PedidoCriado", pedido: key }),
      })),
    });
    await tour.close(producer);
    await tour.eventually(
      `${groupA}'s members together received the ${keys.length} messages`,
      () => a1.read.length + a2.read.length >= keys.length,
    );
    await tour.eventually(
      `${groupB} received all ${keys.length} as well`,
      () => b.read.length >= keys.length,
    );
    for (const member of [a1, a2]) {
      tour.check(
        member.read.every((r) => member.assigned.includes(r.partition)),
        `${member.name} received only messages of its own partitions (${
          member.assigned.join(", ")
        })`,
      );
    }
    const inA = [...a1.read, ...a2.read].map((r) => r.key);
    tour.check(
      new Set(inA).size === keys.length && inA.length === keys.length,
      `each message reached exactly one member of ${groupA}`,
    );
    for (const member of [a1, a2, b]) await tour.close(member.consumer);
    return {
      did: [
        `Created ${topic} (3 partitions); started two consumers in the group ${groupA} and one ` +
        `in ${groupB}, then sent ${keys.length} orders:`,
        ...table([
          ["group", "member", "partitions", "messages received"],
          ...[a1, a2].map((m) => [groupA, m.name, m.assigned.join(","), m.read.length]),
          [groupB, b.name, b.assigned.join(","), b.read.length],
        ]),
      ],
      notice: [
        "Within a group a partition has one reader, so the group's members never process the " +
        "same message, and per-key order holds. More members than partitions would leave some " +
        "idle: partitions bound a group's parallelism.",
        "The other group got everything: groups are independent readers with their own offsets " +
        "(seed 002's phase 3: Laravel and NestJS each with their own groupId).",
        "When a member stops, its partitions move to the others after a rebalance (session " +
        "timeout): Freshet's payments instances scale out this way (docs/groups_and_partitions.md).",
      ],
      commands: [
        `deno task kafka:cli kafka-consumer-groups --describe --group ${groupA} --members --verbose`,
        `deno task kafka:cli kafka-consumer-groups --describe --group ${groupB}`,
      ],
    };
  },
};
