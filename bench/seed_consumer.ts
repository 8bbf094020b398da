/**
 * What users would write instead of the doctor: the seeds' consumer. KafkaJS
 * `eachMessage`, `JSON.parse` of the value, one `INSERT` per message (each
 * its own SQLite transaction), KafkaJS's auto-commit; the same table as the
 * doctor's (its migrations), SQLite's default page size. Two ways to open
 * the database:
 *
 * - `competent`: WAL and `synchronous=NORMAL`, as a careful developer sets them;
 * - `defaults`: SQLite's defaults (rollback journal, `synchronous=FULL`), as
 *   Laravel's PDO and most tutorials leave them: one fsync per message.
 *
 * At-least-once (offsets committed after the rows, separately), which is
 * what makes it simple: a crash between the two replays messages.
 */
import { DatabaseSync } from "node:sqlite";
import type { Kafka } from "kafkajs";
import { DOCTOR_MIGRATIONS } from "../services/demands/doctor_db.ts";
import { migrate } from "../shared/sqlite/sqlite.ts";
import { startWindow, type Throughput } from "./measure.ts";

/** How the seeds' consumer opens SQLite. */
export type SeedJournal = "competent" | "defaults";

/** Options of `seedConsumerThroughput`. */
export interface SeedConsumerOptions {
  topic: string;
  /** Messages to consume (the first ones of the topic); then it stops. */
  count: number;
  /** Scratch folder; the database is made in a fresh folder inside it. */
  dataDir: string;
  journal: SeedJournal;
  /** Longest run before giving up (default 300 s). */
  timeoutMs?: number;
}

/**
 * Messages per second of the seeds' consumer, from its first message to its
 * `count`-th (group join and connection excluded, as for the doctor).
 */
export async function seedConsumerThroughput(
  kafka: Kafka,
  options: SeedConsumerOptions,
): Promise<Throughput> {
  const dir = await Deno.makeTempDir({ dir: options.dataDir, prefix: `seed-${options.journal}-` });
  const db = new DatabaseSync(`${dir}/demands.db`);
  if (options.journal === "competent") {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  }
  migrate(db, DOCTOR_MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO demands (id, type, lat, lng, priority, payload, status, received_at, topic, partition, offset)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const consumer = kafka.consumer({
    groupId: `admin-bench-seed-${crypto.randomUUID().slice(0, 8)}`,
    allowAutoTopicCreation: false,
  });
  let seen = 0;
  let window: ReturnType<typeof startWindow> | undefined;
  let measured: Throughput | undefined;
  const { promise: done, resolve } = Promise.withResolvers<void>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      // deno-lint-ignore require-await
      eachMessage: async ({ topic, partition, message }) => {
        if (seen >= options.count) return; // done: let the batch in hand finish quickly
        if (seen === 0) window = startWindow();
        const text = message.value!.toString();
        const demand = JSON.parse(text);
        insert.run(
          demand.id,
          demand.type,
          demand.location.lat,
          demand.location.lng,
          demand.metadata.priority,
          text,
          new Date().toISOString(),
          topic,
          partition,
          Number(message.offset),
        );
        if (++seen === options.count) {
          measured = window!.end(options.count);
          resolve();
        }
      },
    });
    const timeoutMs = options.timeoutMs ?? 300_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`seeds' consumer (${options.journal}): timed out at ${seen}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return measured!;
  } finally {
    await consumer.disconnect();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
