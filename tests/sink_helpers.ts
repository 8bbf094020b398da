/**
 * Reading what the test sink consumer (fixtures/sink_consumer.ts) left:
 * the `n`s its database holds, and the records of its dead-letter topic.
 */
import type { Kafka } from "kafkajs";
import { DatabaseSync } from "node:sqlite";
import type { ReadMessage } from "../shared/kafka/read_message.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { randomName } from "./helpers.ts";

/** The `n`s the sink's database under `dataDir` holds, in order ([] before it exists). */
export function sinkRows(dataDir: string): number[] {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(`${dataDir}/sink/sink.db`, { readOnly: true });
  } catch {
    return []; // that sink has not opened its database yet
  }
  try {
    return db.prepare("SELECT n FROM items ORDER BY n").all().map((r) => Number(r.n));
  } finally {
    db.close();
  }
}

/** Every record of `<topic>.dlq`, from its start, read without a group of the test's. */
export async function deadLettersOf(kafka: Kafka, topic: string): Promise<ReadMessage[]> {
  return (await readRange(kafka, {
    groupId: randomName("dlq-reader"),
    topics: [`${topic}.dlq`],
    from: "earliest",
  })).messages;
}
