/**
 * `deno task bench [--only doctor,rest,live] [--messages N] [--rest-records N]
 * [--seed-defaults-messages N] [--live-seconds N] [--live-rate N] [--live-batch N] [--profile]`: Freshet's hot
 * paths measured against the limit and against what users would write
 * instead, every figure a ratio to a reference measured in the same run on
 * the same broker (absolute rates on a shared machine vary 3× between runs).
 * Each run writes `bench/results/<start time>.json` (machine, versions,
 * figures, ratios, targets, pass/fail); README "Performance" summarises them.
 *
 * - doctor: ~1 KB demands on 3 partitions materialised into SQLite, as a
 *   fraction of the bare-insert limit and as a multiple of the seeds'
 *   consumer; Java ConsumerPerformance for scale.
 * - rest: the REST-Proxy-compatible endpoint against KafkaJS producing the
 *   same records directly.
 * - live: produce → SSE client latency at 1,000 messages/s.
 */
import { parseArgs } from "node:util";
import { ensureBroker, ROOT } from "../kafka/ensure.ts";
import { ensureKafkaJars } from "../kafka/jars.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { runMain } from "../shared/core/config.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { bareInsertLimit } from "./bare_insert.ts";
import { type CpuProfile, summarise } from "./cpu_profile.ts";
import { doctorCodeThroughput, doctorThroughput, prepareDemands } from "./doctor_bench.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";
import { liveBench } from "./live_bench.ts";
import { restProduceBench } from "./rest_produce_bench.ts";
import { describeCheck, Results } from "./results.ts";
import type { Throughput } from "./measure.ts";
import { machineInfo, versionInfo } from "./run_info.ts";
import { seedConsumerThroughput } from "./seed_consumer.ts";

const SECTIONS = ["doctor", "rest", "live"] as const;
type Section = typeof SECTIONS[number];

const fmt = (n: number) => Math.round(n).toLocaleString("en");

function intOption(name: string, given: string, min: number): number {
  const value = Number(given);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name}: expected an integer ≥ ${min} (got ${JSON.stringify(given)})`);
    Deno.exit(2);
  }
  return value;
}

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      messages: { type: "string", default: "200000" },
      "seed-defaults-messages": { type: "string", default: "3000" },
      "rest-records": { type: "string", default: "200000" },
      only: { type: "string" },
      "live-seconds": { type: "string", default: "10" },
      "live-rate": { type: "string", default: "1000" },
      "live-batch": { type: "string", default: "10" },
      profile: { type: "boolean", default: false },
    },
  });
  const count = intOption("messages", values.messages, 1_000);
  const seedDefaultsCount = Math.min(
    count,
    intOption("seed-defaults-messages", values["seed-defaults-messages"], 100),
  );
  const restRecords = intOption("rest-records", values["rest-records"], 1_000);
  const liveSeconds = intOption("live-seconds", values["live-seconds"], 1);
  const liveRate = intOption("live-rate", values["live-rate"], 1);
  const liveBatch = intOption("live-batch", values["live-batch"], 1);
  const only = (values.only ?? SECTIONS.join(",")).split(",").map((s) => s.trim());
  const unknown = only.find((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown !== undefined) {
    console.error(
      `--only: expected some of ${SECTIONS.join(",")} (got ${JSON.stringify(unknown)})`,
    );
    Deno.exit(2);
  }
  const sections = new Set(only as Section[]);

  setLogLevel("warn");
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const cluster = await ensureBroker();
  const libs = await ensureKafkaJars(ROOT);
  const javaHome = Deno.env.get("JAVA_HOME");
  const results = new Results({
    startedAt,
    args: Deno.args,
    options: {
      sections: [...sections],
      messages: count,
      seedDefaultsMessages: seedDefaultsCount,
      restRecords,
      liveSeconds,
      liveRate,
      liveBatch,
      profile: values.profile,
      brokers: cluster ? "started by the bench" : "running local or configured broker",
    },
    machine,
    versions: await versionInfo({ root: ROOT, kafkaLibs: libs, javaHome }),
  });
  console.log(
    `${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(" ")}; ` +
      `Deno ${results.data.versions.deno}, Kafka ${results.data.versions.kafka}`,
  );
  const config = loadKafkaConfig("admin");
  const kafka = createKafka(config, { clientSuffix: "bench" });
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.`;
  const tmpDir = await Deno.makeTempDir({ prefix: "freshet-bench-" });

  async function doctorSection() {
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
      profile: values.profile,
    });
    if (profile) await keepProfile(profile, "doctor");
    const doctor = results.throughput(
      "doctor",
      measured,
      "msgs/s",
      "the doctor consumer through Kafka, exactly once, first message to last commit",
    );
    show("doctor through Kafka:", doctor, "msgs/s");
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
      ]
    ) console.log(`  ${describeCheck(check)}`);
  }

  async function restSection() {
    console.log(
      `\nREST produce: ${
        fmt(restRecords)
      } demands of ~1 KB, json v2, 100 per request, 16 in flight`,
    );
    const rest = await restProduceBench(kafka, `${prefix}rest.`, {
      records: restRecords,
      recordsPerRequest: 100,
      concurrency: 16,
      dataDir: tmpDir,
      profile: values.profile,
    });
    if (rest.profiles) {
      await keepProfile(rest.profiles.rest, "restProxy");
      await keepProfile(rest.profiles.kafkajs, "kafkajsProduce");
    }
    if (rest.failedRecords > 0 || rest.recordsOnTopic < rest.requests * 100) {
      throw new Error(
        `REST produce lost records: ${rest.failedRecords} failed, ${rest.recordsOnTopic} on the topic`,
      );
    }
    const direct = results.figure(
      "kafkajsProduce",
      rest.kafkajsRecordsPerSec,
      "records/s",
      "KafkaJS idempotent producer, the same records, 100 per send, 16 sends in flight",
    );
    const viaRest = results.figure(
      "restProxyProduce",
      rest.restRecordsPerSec,
      "records/s",
      "POST /topics/{topic} (json v2), 100 records per request, 16 requests in flight",
    );
    results.figure(
      "kafkajsProduce.cpuUs",
      rest.kafkajsCpuUsPerRecord,
      "CPU µs/record",
      "KafkaJS direct: CPU time of this process per record",
    );
    results.figure(
      "restProxyProduce.cpuUs",
      rest.restCpuUsPerRecord,
      "CPU µs/record",
      "REST proxy: CPU time of this process (server and client threads) per record",
    );
    console.log(
      `  KafkaJS idempotent producer: ${fmt(direct)} records/s (${
        rest.kafkajsCpuUsPerRecord.toFixed(1)
      } CPU µs each)`,
    );
    console.log(
      `  REST proxy endpoint:         ${fmt(viaRest)} records/s (${
        rest.restCpuUsPerRecord.toFixed(1)
      } CPU µs each, server and client)`,
    );
    const check = results.check("REST proxy / KafkaJS", viaRest / direct, { atLeast: 0.9 });
    console.log(`  ${describeCheck(check)}`);
  }

  async function liveSection() {
    console.log(
      `\nproduce → island: REST proxy → Kafka → doctor → bus → SSE, ${
        fmt(liveRate)
      } demands/s for ${liveSeconds} s`,
    );
    const live = await liveBench(kafka, `${prefix}live.`, {
      ratePerSec: liveRate,
      seconds: liveSeconds,
      perRequest: liveBatch,
      dataDir: tmpDir,
    });
    results.data.notes.live = live;
    for (const [name, phase] of [["idle", live.idle], ["loaded", live.loaded]] as const) {
      console.log(
        `  ${name.padEnd(6)} ${
          fmt(phase.count)
        } updates: p50 ${phase.p50} ms, p90 ${phase.p90} ms, ` +
          `p99 ${phase.p99} ms, max ${phase.max} ms; ${fmt(phase.writes)} SSE writes` +
          (phase.viaBulk ? `; ${fmt(phase.viaBulk)} via bulk notes` : ""),
      );
    }
    results.figure("live.loaded.p50", live.loaded.p50, "ms", "produce → SSE at the rate, median");
    results.figure("live.loaded.p99", live.loaded.p99, "ms", "produce → SSE at the rate, 99th");
    results.figure("live.idle.p50", live.idle.p50, "ms", "produce → SSE on an idle stream, median");
    results.figure("live.sentPerSec", live.sentPerSec, "msgs/s", "rate the sender achieved");
    results.figure(
      "live.writesPerSec",
      live.loaded.writes / liveSeconds,
      "writes/s",
      "SSE writes a client received per second under load (the coalescing cap)",
    );
    console.log(
      `  sent ${fmt(live.sentPerSec)}/s; produce (HTTP 200, acks=all) p50 ${live.produceP50} ms`,
    );
    console.log(
      `  split at the doctor's bus note (p50/p99): produce → note ${
        live.split.toNote.join("/")
      } ms, note → client ${live.split.noteToClient.join("/")} ms`,
    );
    for (
      const check of [
        results.check("produce → island p50 ms", live.loaded.p50, { atMost: 25 }),
        results.check("produce → island p99 ms", live.loaded.p99, { atMost: 150 }),
      ]
    ) console.log(`  ${describeCheck(check)}`);
  }

  async function keepProfile(profile: CpuProfile, name: string) {
    const dir = `${ROOT}/data/bench`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/${startedAt.replace(/[:.]/g, "-")}-${name}.cpuprofile`;
    await Deno.writeTextFile(path, JSON.stringify(profile));
    const summary = summarise(profile);
    results.data.notes[`${name}Profile`] = { file: path, ...summary };
    console.log(`  CPU profile: ${path} (idle ${summary.idlePercent} %)`);
    for (const line of [...summary.byCategory, ...summary.byFunction.slice(0, 12)]) {
      console.log(`    ${line.percent.toFixed(1).padStart(5)} %  ${line.name}`);
    }
  }

  try {
    if (sections.has("doctor")) await doctorSection();
    if (sections.has("rest")) await restSection();
    if (sections.has("live")) await liveSection();
    const path = await results.write(`${ROOT}/bench/results`);
    const failed = results.data.checks.filter((c) => c.pass === false).length;
    console.log(`\nresults: ${path} (${failed} of the targets missed)`);
  } finally {
    await withAdmin(kafka, async (admin) => {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      await admin.deleteTopics({ topics });
    }).catch(() => {});
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    if (cluster) await cluster.stop();
    closeBus(); // the doctor runner's status reports keep a BroadcastChannel open
  }
});
