/**
 * Step 4 — a consumer and its offsets: a consumer in a group reads the
 * topic and commits its position; new messages arrive while it is away
 * (the group's lag); a consumer restarted in the same group resumes
 * exactly after the committed offsets.
 */
import type { Consumer, KafkaMessage } from "kafkajs";
import { createIdempotentProducer, withAdmin } from "../../shared/kafka/client.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";
import { ORDERS_TOPIC } from "./broker_and_topic.ts";

interface Read {
  partition: number;
  message: KafkaMessage;
}

/** Starts a consumer of `group` on `topic` that records what it reads and commits nothing itself. */
async function startReader(tour: Tour, topic: string, group: string) {
  const consumer: Consumer = tour.track(
    tour.admin.consumer({ groupId: group, maxWaitTimeInMs: 100, heartbeatInterval: 500 }),
  );
  const read: Read[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      read.push({ partition, message });
      await Promise.resolve();
    },
  });
  return { consumer, read };
}

/** Commits, per partition, the offset after the last message `read` holds. */
async function commitRead(consumer: Consumer, topic: string, read: Read[]): Promise<void> {
  const next = new Map<number, number>();
  for (const { partition, message } of read) {
    next.set(partition, Math.max(next.get(partition) ?? 0, Number(message.offset) + 1));
  }
  await consumer.commitOffsets(
    [...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
  );
}

/** Per partition: committed offset, end offset and lag of `group`. */
async function groupOffsets(tour: Tour, topic: string, group: string) {
  return await withAdmin(tour.admin, async (admin) => {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.map((end) => {
      const offset = Number(
        committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1,
      );
      const high = Number(end.high);
      return {
        partition: end.partition,
        committed: offset,
        end: high,
        lag: high - Math.max(0, offset),
      };
    }).sort((a, b) => a.partition - b.partition);
  });
}

/** Step 4. */
export const consumerOffsets: TourStep = {
  title: "A consumer and its offsets",
  concept: "A consumer reads a partition from an offset onwards. A consumer group stores, per " +
    "partition, the offset it has processed up to (a commit); a member that restarts, or another " +
    "that takes over, resumes from there. What is written but not yet committed is the group's lag.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic(ORDERS_TOPIC);
    const group = tour.group("leitor");
    const total = (await groupOffsets(tour, topic, group)).reduce((n, p) => n + p.end, 0);

    const first = await startReader(tour, topic, group);
    await tour.eventually(
      `a new consumer in ${group} reads all ${total} messages from the beginning`,
      () => first.read.length >= total,
      { detail: () => `read ${first.read.length}` },
    );
    await commitRead(first.consumer, topic, first.read);
    await tour.close(first.consumer);
    const committed = await groupOffsets(tour, topic, group);
    tour.check(
      committed.every((p) => p.lag === 0),
      "after its commit the group's lag is 0 on every partition",
    );

    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    const added = ["pedido-7", "pedido-8", "pedido-9"];
    await producer.send({
      topic,
      messages: added.map((key) => ({
        key,
        value: JSON.stringify({ event: "PedidoCriado", pedido: key }),
      })),
    });
    await tour.close(producer);
    const behind = await groupOffsets(tour, topic, group);
    tour.check(
      behind.reduce((n, p) => n + p.lag, 0) === added.length,
      `while no member runs, the group's lag is the ${added.length} new messages`,
    );

    const second = await startReader(tour, topic, group);
    await tour.eventually(
      "a consumer restarted in the same group reads the new messages",
      () => second.read.length >= added.length,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const keys = second.read.map((r) => r.message.key?.toString()).sort();
    tour.check(
      keys.join() === added.join(),
      "and only them: it resumed after the committed offsets, nothing read twice",
      `it read ${keys.join()}`,
    );
    await commitRead(second.consumer, topic, second.read);
    await tour.close(second.consumer);
    const after = await groupOffsets(tour, topic, group);
    return {
      did: [
        `Started a consumer in the group ${group}; it read the ${total} messages of ${topic} ` +
        "and committed its offsets, then stopped:",
        ...table([
          ["partition", "committed", "end", "lag"],
          ...committed.map((p) => [p.partition, p.committed, p.end, p.lag]),
        ]),
        `Sent ${added.length} new orders while it was away; the group's lag became:`,
        ...table([
          ["partition", "committed", "end", "lag"],
          ...behind.map((p) => [p.partition, p.committed, p.end, p.lag]),
        ]),
        `Restarted a consumer in the same group: it read ${keys.join(", ")} and nothing else, ` +
        `then committed (lag ${after.reduce((n, p) => n + p.lag, 0)}).`,
      ],
      notice: [
        "The committed offset is the next one to read, stored by Kafka per group and partition " +
        "(in the __consumer_offsets topic): the position survives the consumer.",
        "Committing after processing gives at-least-once: a crash between the two repeats the " +
        "batch. Freshet's consumers keep their offsets in the same SQLite transaction as the rows " +
        "they write (shared/consumer), so a repeat is skipped: exactly once into SQLite.",
        "The lag (end − committed) is what monitoring watches: seed 001's " +
        "`kafka-consumer-groups --describe`.",
      ],
      commands: [
        `deno task kafka:cli kafka-consumer-groups --describe --group ${group}`,
        `deno task kafka:cli kafka-consumer-groups --reset-offsets --group ${group} --topic ${topic} ` +
        "--to-earliest --execute",
      ],
    };
  },
};
