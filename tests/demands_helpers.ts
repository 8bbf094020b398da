/**
 * Helpers of the demand tests against the real broker: an isolated world
 * (a random topic prefix, its demand topics and DLQs, and the
 * kafka-acls.txt rules of the `doctor` and `web` principals copied onto the
 * prefixed topics, so the doctor consumers and the web server run as their
 * real principals), doctors in process, and readers of the topics.
 */
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { OFFSETS_MIGRATION } from "../shared/consumer/offsets.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import { DOCTOR_MIGRATIONS } from "../services/demands/doctor_db.ts";
import { OUTBOX_MIGRATION } from "../shared/outbox/outbox.ts";
import { type DatabaseSync, openDatabase } from "../shared/sqlite/sqlite.ts";
import { type ReadMessage, readRange } from "../shared/kafka/topic_reader.ts";
import { randomName } from "./helpers.ts";
import { type PrefixedWorld, prefixedWorld } from "./prefixed_world.ts";

/** One test's demand topics, ACLs and data folder. */
export type DemandsWorld = PrefixedWorld;

/** Creates a world: the prefixed demand topics and the `doctor` and `web` ACLs on them. */
export function demandsWorld(): Promise<DemandsWorld> {
  return prefixedWorld({
    label: "dem",
    topics: [DEMANDS_CREATED, DEMANDS_ASSUMED],
    principals: ["doctor", "web"],
  });
}

/** A doctor consumer running in process, with its own connection to its database. */
export interface Doctor {
  name: string;
  runner: ConsumerRunner;
  /** The doctor's database (a connection of the test, like the web server's). */
  db: DatabaseSync;
  stop(): Promise<void>;
}

/**
 * Starts doctor `name` as the `doctor` principal, its data under `dataDir`
 * (default: the world's), in a random group `doctor-test-…` so it never
 * joins the group of a running server.
 */
export async function startDoctor(
  world: DemandsWorld,
  name: string,
  options: { dataDir?: string } = {},
): Promise<Doctor> {
  const dataDir = options.dataDir ?? world.dataDir;
  const definition = doctorConsumer.create({
    DOCTOR_NAME: name,
    FRESHET_TOPIC_PREFIX: world.prefix,
  });
  const runner = createRunner(
    { ...definition, groupId: randomName("doctor-test") },
    { dataDir, mode: "process", sessionTimeoutMs: 6_000 },
  );
  await runner.start();
  const db = openDatabase(`${dataDir}/${definition.name}/${definition.name}.db`, {
    migrations: [...DOCTOR_MIGRATIONS, OFFSETS_MIGRATION, OUTBOX_MIGRATION],
  });
  return {
    name,
    runner,
    db,
    async stop() {
      await runner.stop();
      db.close();
    },
  };
}

/** Every message of the world's topic `base`, in partition then offset order. */
export async function readTopic(world: DemandsWorld, base: string): Promise<ReadMessage[]> {
  const { messages, complete } = await readRange(world.kafka, {
    groupId: randomName("reader"),
    topics: [world.topic(base)],
    from: "earliest",
  });
  if (!complete) throw new Error(`could not read ${world.topic(base)} to its end`);
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The value of a message as text. */
export function textOf(message: ReadMessage): string {
  return new TextDecoder().decode(message.value!);
}

/** The next offset doctor `db` stored for `topic`'s `partition` (0 when none yet). */
export function storedOffset(db: DatabaseSync, topic: string, partition: number): number {
  const row = db.prepare(
    "SELECT next_offset FROM consumer_offsets WHERE topic = ? AND partition = ?",
  ).get(topic, partition);
  return row ? Number(row.next_offset) : 0;
}
