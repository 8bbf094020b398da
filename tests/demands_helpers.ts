/**
 * Helpers of the demand tests against the real broker: an isolated world
 * (a random topic prefix, its demand topics and DLQs, and the
 * kafka-acls.txt rules of the `doctor` and `web` principals copied onto the
 * prefixed topics, so the doctor consumers and the web server run as their
 * real principals), doctors in process, and readers of the topics.
 */
import type { Kafka } from "kafkajs";
import { doctorConsumer } from "../consumers/doctor.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { OFFSETS_MIGRATION } from "../shared/consumer/offsets.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../shared/demands/demand.ts";
import { DOCTOR_MIGRATIONS } from "../shared/demands/doctor_db.ts";
import { withAdmin } from "../shared/kafka.ts";
import { OUTBOX_MIGRATION } from "../shared/outbox.ts";
import {
  type AclBinding,
  createBindings,
  DEFAULT_ACLS_FILE,
  deleteBindings,
  readAclsFile,
} from "../shared/provision/mod.ts";
import { type DatabaseSync, openDatabase } from "../shared/sqlite.ts";
import { type ReadMessage, readRange } from "../shared/topic_reader.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

/** One test's topics, ACLs and data folder. */
export interface DemandsWorld {
  /** Admin client: set-up, and producing as an outside producer (kcat) would. */
  kafka: Kafka;
  /** `FRESHET_TOPIC_PREFIX` of this world, e.g. `dem-1a2b3c4d5e6f.` */
  prefix: string;
  dataDir: string;
  /** `base` under this world's prefix. */
  topic(base: string): string;
  /** Deletes the ACL bindings, the topics and the data folder. */
  close(): Promise<void>;
}

/** Bindings of kafka-acls.txt for `doctor` and `web` on topics, moved under `prefix`. */
async function prefixedBindings(prefix: string): Promise<AclBinding[]> {
  const file = await readAclsFile(DEFAULT_ACLS_FILE);
  return file
    .filter((b) => ["doctor", "web"].includes(b.principal) && b.resourceType === "topic")
    .map(({ line: _line, ...b }) => ({ ...b, resourceName: `${prefix}${b.resourceName}` }));
}

/** Creates a world: the prefixed demand topics (3 partitions, DLQs 1) and the principals' ACLs. */
export async function demandsWorld(): Promise<DemandsWorld> {
  const kafka = adminKafka();
  const prefix = `${randomName("dem")}.`;
  const topic = (base: string) => `${prefix}${base}`;
  const main = [DEMANDS_CREATED, DEMANDS_ASSUMED];
  const dropTopics = await createTopics(kafka, [
    ...main.map((t) => ({ topic: topic(t), numPartitions: 3 })),
    ...main.map((t) => ({ topic: topic(`${t}.dlq`) })),
  ]);
  const bindings = await prefixedBindings(prefix);
  await withAdmin(kafka, (admin) => createBindings(admin, bindings));
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-demands-" });
  return {
    kafka,
    prefix,
    dataDir,
    topic,
    async close() {
      await withAdmin(kafka, (admin) => deleteBindings(admin, bindings));
      await dropTopics();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
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
