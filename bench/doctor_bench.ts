/**
 * Doctor materialisation: how fast the doctor consumer (the real module, on
 * the real runner) turns ~1 KB demands on 3 partitions into SQLite rows,
 * next to Kafka's Java consumer reading the same topic.
 */
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerRunnerOptions } from "../shared/consumer/runner.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import type { Kafka } from "kafkajs";
import { decodeValue } from "../shared/consumer/decode.ts";
import { demandSchema } from "../services/demands/demand.ts";
import { DOCTOR_MIGRATIONS, insertDemand } from "../services/demands/doctor_db.ts";
import { openDatabase, transaction } from "../shared/sqlite/sqlite.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { benchDemand } from "./bench_demand.ts";
import { type CpuProfile, startProfile } from "./cpu_profile.ts";
import { loadTopic } from "./load.ts";
import { startWindow, type Throughput } from "./measure.ts";

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

/**
 * Runs the doctor (its module, on the real runner, as `deno task
 * consumer:doctor` runs it) over the loaded topic; returns messages per
 * second from its first message to its `count`-th committed one (group
 * join and connection excluded, as for every consumer of the benchmark).
 */
export async function doctorThroughput(
  kafka: Kafka,
  options: {
    prefix: string;
    count: number;
    dataDir: string;
    profile?: boolean;
    /** Runner settings to try (the benchmark itself runs the defaults, as deployed). */
    runner?: Partial<ConsumerRunnerOptions>;
    /**
     * Whether chunks are applied by the applier Worker (default true, as
     * deployed: `CONSUMER_PIPELINE=on`); false: on the runner's thread.
     */
    pipelined?: boolean;
  },
): Promise<{ throughput: Throughput; profile?: CpuProfile }> {
  const env = {
    FRESHET_TOPIC_PREFIX: options.prefix,
    DOCTOR_NAME: `bench-${crypto.randomUUID().slice(0, 8)}`,
  };
  const definition = doctorConsumer.create(env);
  const pipelined = options.pipelined ?? true;
  const created = definition.topics[`${options.prefix}${DEMANDS_CREATED}`];
  const handle = created.handle;
  let window: ReturnType<typeof startWindow> | undefined;
  created.handle = (ctx) => {
    window ??= startWindow();
    handle(ctx);
  };
  const runner = createRunner(definition, {
    ...options.runner,
    dataDir: options.dataDir,
    mode: "process",
    kafka,
    pipelined: pipelined
      ? { moduleUrl: new URL("../services/demands/consumer.ts", import.meta.url).href, env }
      : undefined,
  });
  const started = performance.now();
  await runner.start(); // connected, joined; fetching starts
  const profiler = options.profile ? await startProfile() : undefined;
  // The applier's handlers run in its Worker: the window opens at the first committed
  // chunk instead, and counts what came after it.
  let before = 0;
  try {
    while (runner.counters.processed < options.count) {
      await new Promise((r) => setTimeout(r, 2));
      if (pipelined && !window && runner.counters.processed > 0) {
        before = runner.counters.processed;
        window = startWindow();
      }
      if (performance.now() - started > 300_000) throw new Error("doctor benchmark timed out");
    }
    const throughput = window!.end(options.count - before);
    return { throughput, profile: await profiler?.stop() };
  } finally {
    await runner.stop();
  }
}

/**
 * The doctor's own code without Kafka: the same demands, each decoded and
 * validated with the doctor's schema, then `insertDemand` in transactions of
 * `perTransaction` (the runner's default). Returns rows per second. Shows how
 * much of the gap to the bare-insert limit is the doctor's per-row work and
 * how much is Kafka and the runner.
 */
export async function doctorCodeThroughput(
  options: { count: number; dataDir: string; perTransaction?: number },
): Promise<Throughput> {
  const encoder = new TextEncoder();
  const values = Array.from({ length: options.count }, (_, i) => encoder.encode(benchDemand(i)));
  const dir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "sqlite-only-" });
  const db = openDatabase(`${dir}/doctor.db`, { migrations: DOCTOR_MIGRATIONS });
  const size = options.perTransaction ?? 2_000;
  try {
    const window = startWindow();
    for (let start = 0; start < values.length; start += size) {
      transaction(db, () => {
        for (let i = start; i < Math.min(values.length, start + size); i++) {
          const demand = decodeValue(values[i], demandSchema);
          insertDemand(db, "bench", demand, { topic: "bench", partition: i % 3, offset: i });
        }
      });
    }
    return window.end(options.count);
  } finally {
    db.close();
  }
}
