/**
 * Step 3 — producer acks and idempotence: the same kind of message sent
 * with acks=0, acks=1 and acks=all, then by an idempotent producer (the
 * kernel's, as every Freshet service uses); the log shows which records
 * carry a producer id and sequence numbers, the broker's tool for
 * dropping a retried duplicate.
 */
import { Partitioners } from "kafkajs";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

interface LoggedRecord {
  offset: number;
  value: string;
  producerId: string;
  /** The record's sequence number: its batch's first sequence plus its place in the batch. */
  sequence: number;
}

/** The header of the record batch a KafkaJS message came in. */
interface BatchContext {
  firstOffset: string;
  producerId: string;
  firstSequence: number;
}

/** Reads the first `count` records of partition 0 of `topic`, with their batch's producer fields. */
async function readRecords(tour: Tour, topic: string, count: number): Promise<LoggedRecord[]> {
  const consumer = tour.track(
    tour.admin.consumer({ groupId: tour.group("acks"), maxWaitTimeInMs: 100 }),
  );
  const records: LoggedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        // KafkaJS keeps the record batch's header on each message.
        const batch = (message as unknown as { batchContext: BatchContext }).batchContext;
        const offset = Number(message.offset);
        records.push({
          offset,
          value: message.value?.toString() ?? "",
          producerId: String(batch.producerId),
          sequence: batch.firstSequence + offset - Number(batch.firstOffset),
        });
        if (records.length >= count) resolve();
        await Promise.resolve();
      },
    });
  });
  await tour.eventually(`the ${count} records can be read back`, async () => {
    await Promise.race([done, new Promise((r) => setTimeout(r, 200))]);
    return records.length >= count;
  });
  await tour.close(consumer);
  return records;
}

/** Step 3. */
export const acksAndIdempotence: TourStep = {
  title: "Producer acks and idempotence",
  concept:
    "A producer chooses how sure it wants to be: acks=0 sends and forgets, acks=1 waits for " +
    "the partition leader, acks=all for every in-sync replica. An idempotent producer also numbers " +
    "its records, so a send it retries after a lost answer is not written twice.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("acks");
    await tour.createTopics([`${topic}  1  auto`]);
    const plain = tour.track(tour.admin.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    }));
    await plain.connect();
    const sent: string[] = [];
    const send = async (acks: number, value: string) => {
      const answer = await plain.send({ topic, acks, messages: [{ key: "k", value }] });
      sent.push(value);
      return answer;
    };
    const fireAndForget = await send(0, "acks=0");
    tour.check(fireAndForget.length === 0, "with acks=0 the broker sends no answer at all");
    const leader = await send(1, "acks=1");
    const all = await send(-1, "acks=all");
    tour.check(
      leader[0]?.baseOffset !== undefined && all[0]?.baseOffset !== undefined,
      "with acks=1 and acks=all the broker answers with the offset it wrote",
    );
    await tour.close(plain);

    const idempotent = tour.track(createIdempotentProducer(tour.admin));
    await idempotent.connect();
    await idempotent.send({ topic, messages: [{ key: "k", value: "idempotent 1" }] });
    await idempotent.send({
      topic,
      messages: [{ key: "k", value: "idempotent 2" }, { key: "k", value: "idempotent 3" }],
    });
    const refused = await idempotent.send({ topic, acks: 1, messages: [{ key: "k", value: "x" }] })
      .then(() => "", (error: Error) => error.message);
    tour.check(
      /invalidates the idempotent producer/.test(refused),
      "an idempotent producer refuses acks=1 (it needs acks=all)",
      refused || "it sent",
    );
    await tour.close(idempotent);

    const records = await readRecords(tour, topic, 6);
    const plainIds = records.filter((r) => r.value.startsWith("acks=")).map((r) => r.producerId);
    const idem = records.filter((r) => r.value.startsWith("idempotent"));
    tour.check(
      plainIds.every((id) => id === "-1"),
      "the plain producer's records carry no producer id",
    );
    tour.check(
      idem.length === 3 && idem.every((r) => Number(r.producerId) >= 0) &&
        new Set(idem.map((r) => r.producerId)).size === 1,
      "the idempotent producer's records carry its producer id",
    );
    tour.check(
      idem.map((r) => r.sequence).join() === "0,1,2",
      "its records are numbered 0, 1, 2 (a resent batch would repeat its numbers)",
      JSON.stringify(idem),
    );
    return {
      did: [
        `Sent one record with acks=0, one with acks=1 and one with acks=all to ${topic}, then two ` +
        "batches (1 and 2 records) with the kernel's idempotent producer; read the log back:",
        ...table([
          ["offset", "value", "producer id", "sequence"],
          ...records.map((r) => [
            r.offset,
            r.value,
            r.producerId,
            r.producerId === "-1" ? "—" : r.sequence,
          ]),
        ]),
      ],
      notice: [
        "acks=0 got no answer: had the record been lost, nobody would know. acks=all is the " +
        "only setting where an acknowledged record survives the loss of the leader (with " +
        "replicas, min.insync.replicas says how many must have it).",
        "The idempotent producer's records carry its producer id and a sequence number per " +
        "partition: if it resends a batch whose answer was lost, the broker sees the same " +
        "sequence and does not write it twice. Every Freshet service produces this way " +
        "(shared/kafka/client.ts), so a retry never duplicates an event.",
        "Idempotence works only with acks=all: the client refuses anything less.",
      ],
      commands: [
        `echo hello | deno task kafka:cli kafka-console-producer --topic ${topic} ` +
        "--command-property acks=all --command-property enable.idempotence=true",
        `deno task kafka:cli kafka-transactions describe-producers --topic ${topic} --partition 0`,
      ],
    };
  },
};
