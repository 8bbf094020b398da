/**
 * The doctor section: the doctor against the bare-insert limit and the
 * seeds' consumer, with Java's ConsumerPerformance for scale, all on one
 * loaded topic.
 */
import { bareInsertLimit } from "./bare_insert.ts";
import { type BenchContext, fmt } from "./context.ts";
import { doctorCodeThroughput, doctorThroughput, prepareDemands } from "./doctor_bench.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";
import type { Throughput } from "./measure.ts";
import { describeCheck } from "./results.ts";
import { seedConsumerThroughput } from "./seed_consumer.ts";

/** Runs the section over `count` demands (the seeds' consumer with SQLite's defaults: `seedDefaultsCount`). */
export async function doctorSection(
  ctx: BenchContext,
  { count, seedDefaultsCount }: { count: number; seedDefaultsCount: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results, config, libs, javaHome } = ctx;
  console.log(`\ndoctor materialisation: ${fmt(count)} demands of ~1 KB on 3 partitions`);
  const topic = await prepareDemands(kafka, prefix, count);
  const show = (label: string, t: Throughput, unit: string, extra = "") =>
    console.log(
      `  ${label.padEnd(34)} ${fmt(t.perSec).padStart(7)} ${unit} ` +
        `(${t.cpuUsPerMsg.toFixed(1)} CPU µs each)${extra}`,
    );
  const limit = results.throughput(
    "bareInsertLimit",
    await bareInsertLimit({ count, dataDir: tmpDir }),
    "rows/s",
    "the same rows into the doctor's table by a bare prepared INSERT, 2,000 per transaction",
  );
  show("bare-insert limit (no Kafka):", limit, "rows/s");
  const code = results.throughput(
    "doctorCodeWithoutKafka",
    await doctorCodeThroughput({ count, dataDir: tmpDir }),
    "rows/s",
    "the doctor's decoding, validation and insertDemand, 2,000 per transaction, no Kafka",
  );
  show("doctor's own code, no Kafka:", code, "rows/s");
  const { throughput: measured, profile } = await doctorThroughput(kafka, {
    prefix,
    count,
    dataDir: tmpDir,
    profile: ctx.profile,
  });
  if (profile) await ctx.keepProfile(profile, "doctor");
  const doctor = results.throughput(
    "doctor",
    measured,
    "msgs/s",
    "the doctor consumer through Kafka (pipelined, as deployed), exactly once, first committed chunk to last commit",
  );
  show("doctor through Kafka:", doctor, "msgs/s");
  const oneThread = results.throughput(
    "doctorOneThread",
    (await doctorThroughput(kafka, { prefix, count, dataDir: tmpDir, pipelined: false }))
      .throughput,
    "msgs/s",
    "the same doctor with CONSUMER_PIPELINE=off: fetching and applying on one thread",
  );
  show("doctor on one thread:", oneThread, "msgs/s");
  const competent = results.throughput(
    "seedConsumerCompetent",
    await seedConsumerThroughput(kafka, { topic, count, dataDir: tmpDir, journal: "competent" }),
    "msgs/s",
    "the seeds' consumer (eachMessage, one INSERT each, auto-commit), WAL + synchronous=NORMAL",
  );
  show("seeds' consumer, WAL + NORMAL:", competent, "msgs/s");
  const defaults = results.throughput(
    "seedConsumerDefaults",
    await seedConsumerThroughput(kafka, {
      topic,
      count: seedDefaultsCount,
      dataDir: tmpDir,
      journal: "defaults",
    }),
    "msgs/s",
    `the seeds' consumer with SQLite's defaults (rollback journal, synchronous=FULL), first ${seedDefaultsCount} messages`,
  );
  show(
    "seeds' consumer, SQLite defaults:",
    defaults,
    "msgs/s",
    `, first ${fmt(seedDefaultsCount)}`,
  );
  const java = await javaConsumerPerf(config, { libs, topic, messages: count, javaHome, tmpDir });
  const javaRate = results.figure(
    "javaConsumerPerformance",
    java.fetchMsgsPerSec,
    "msgs/s",
    "Kafka's ConsumerPerformance, fetch time only (counts records, writes nothing)",
  );
  console.log(`  ${"Java ConsumerPerformance:".padEnd(34)} ${fmt(javaRate).padStart(7)} msgs/s`);
  for (
    const check of [
      results.check("doctor / bare-insert limit", doctor.perSec / limit.perSec, { atLeast: 0.7 }),
      results.check("doctor on one thread / bare-insert limit", oneThread.perSec / limit.perSec),
      results.check("pipelined / one thread", doctor.perSec / oneThread.perSec),
      results.check("doctor / seeds' consumer (WAL)", doctor.perSec / competent.perSec, {
        atLeast: 3,
      }),
      results.check("doctor / seeds' consumer (defaults)", doctor.perSec / defaults.perSec),
      results.check("doctor / Java ConsumerPerformance", doctor.perSec / javaRate),
      results.check(
        "doctor's code without Kafka / bare-insert limit",
        code.perSec / limit.perSec,
      ),
      results.check(
        "bare-insert CPU / doctor CPU per message",
        limit.cpuUsPerMsg / doctor.cpuUsPerMsg,
      ),
      results.check(
        "seeds' consumer (WAL) CPU / doctor CPU per message",
        competent.cpuUsPerMsg / doctor.cpuUsPerMsg,
      ),
    ]
  ) console.log(`  ${describeCheck(check)}`);
}
