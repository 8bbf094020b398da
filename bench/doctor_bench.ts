/**
 * Doctor materialisation: how fast the doctor consumer (the real module, on
 * the real runner) turns ~1 KB demands on 3 partitions into SQLite rows,
 * next to Kafka's Java consumer reading the same topic.
 */
import { doctorConsumer } from "../consumers/doctor.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import type { Kafka } from "kafkajs";
import { decodeValue } from "../shared/consumer/decode.ts";
import { demandSchema } from "../services/demands/demand.ts";
import { DOCTOR_MIGRATIONS, insertDemand } from "../services/demands/doctor_db.ts";
import { openDatabase, transaction } from "../shared/sqlite/sqlite.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { loadTopic } from "./load.ts";

/** A demand of about 1 KB, as OnDutyNow would send it. */
export function benchDemand(i: number): string {
  return JSON.stringify({
    id: `bench-${i}`,
    type: ["emergency", "consultation", "transfer"][i % 3],
    location: { lat: -22.9 + (i % 100) / 1000, lng: -43.2 - (i % 100) / 1000 },
    metadata: { priority: ["low", "medium", "high", "critical"][i % 4], notes: "x".repeat(880) },
  });
}

/** Creates the prefixed demand topics and loads `count` demands; returns the created topic. */
export async function prepareDemands(kafka: Kafka, prefix: string, count: number): Promise<string> {
  const created = `${prefix}${DEMANDS_CREATED}`;
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: created, numPartitions: 3 },
        { topic: `${prefix}${DEMANDS_ASSUMED}`, numPartitions: 3 },
        { topic: `${created}.dlq` },
      ],
    }));
  await loadTopic(
    kafka,
    created,
    count,
    (i) => ({ key: `bench-${i}`, value: benchDemand(i) }),
    (done) => console.log(`  loaded ${done.toLocaleString("en")} demands`),
  );
  return created;
}

/** Runs the doctor over the loaded topic; returns messages per second (group join included). */
export async function doctorThroughput(
  kafka: Kafka,
  options: { prefix: string; count: number; dataDir: string },
): Promise<number> {
  const definition = doctorConsumer.create({
    FRESHET_TOPIC_PREFIX: options.prefix,
    DOCTOR_NAME: "bench",
  });
  const runner = createRunner(definition, { dataDir: options.dataDir, mode: "process", kafka });
  const started = performance.now();
  await runner.start();
  try {
    while (runner.counters.processed < options.count) {
      await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - started > 300_000) throw new Error("doctor benchmark timed out");
    }
    return options.count / ((performance.now() - started) / 1000);
  } finally {
    await runner.stop();
  }
}

/**
 * The same demands straight into a doctor database, no Kafka: each value
 * decoded and validated, then `insertDemand` in transactions of
 * `perTransaction` (the runner's default). The ceiling of any consumer that
 * materialises these rows in SQLite on this machine; returns rows per second.
 */
export async function sqliteOnlyThroughput(
  options: { count: number; dataDir: string; perTransaction?: number },
): Promise<number> {
  const encoder = new TextEncoder();
  const values = Array.from({ length: options.count }, (_, i) => encoder.encode(benchDemand(i)));
  const dir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "sqlite-only-" });
  const db = openDatabase(`${dir}/doctor.db`, { migrations: DOCTOR_MIGRATIONS });
  const size = options.perTransaction ?? 2_000;
  try {
    const started = performance.now();
    for (let start = 0; start < values.length; start += size) {
      transaction(db, () => {
        for (let i = start; i < Math.min(values.length, start + size); i++) {
          const demand = decodeValue(values[i], demandSchema);
          insertDemand(db, "bench", demand, { topic: "bench", partition: i % 3, offset: i });
        }
      });
    }
    return options.count / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
