/**
 * `deno task bench [--only doctor,rest,live,console,monitor,export,memory,idle,scale,scaleout] [--messages N] [--rest-records N]
 * [--seed-defaults-messages N] [--live-seconds N] [--live-rate N] [--live-batch N] [--live-backlog N]
 * [--console-messages N] [--export-messages N] [--memory-subjects doctor,server,monitor,console]
 * [--memory-backlog N] [--memory-clients N] [--memory-days N] [--memory-topics N]
 * [--memory-partitions N] [--memory-records N] [--memory-arena-max N] [--idle-seconds N]
 * [--scale-topics N] [--scale-partitions N] [--scaleout-messages N] [--profile]`: Freshet's hot
 * paths measured against the limit and against what users would write
 * instead, every figure a ratio to a reference measured in the same run on
 * the same broker (absolute rates on a shared machine vary 3× between runs;
 * a fixed piece of JavaScript timed at the start and the end of each run,
 * machine_speed.ts, is the yardstick for the figures that are absolute).
 * Each run writes `bench/results/<start time>.json` (machine, versions,
 * figures, ratios, targets, pass/fail, each section's outcome) when it
 * starts and again as each section ends: a section that fails is recorded
 * as failed with its error, the next one runs, and the run exits 1 at the
 * end. README "Performance" summarises them (`deno task bench:summary`).
 *
 * - doctor: ~1 KB demands on 3 partitions materialised into SQLite, as a
 *   fraction of the bare-insert limit and as a multiple of the seeds'
 *   consumer; Java ConsumerPerformance for scale.
 * - rest: the REST-Proxy-compatible endpoint against KafkaJS producing the
 *   same records directly.
 * - live: produce → SSE client latency at 1,000 messages/s.
 * - console: the message browser's newest 50 of a 1,000,000-message topic,
 *   flat in the topic's size; a filtered search next to Java.
 * - monitor: the monitor counting a topic next to Java; sampling's CPU cost;
 *   the 24-h history API.
 * - export: a 1,000,000-record topic exported whole as NDJSON over HTTP,
 *   counted, with the time and the serving process's peak memory.
 * - memory: peak and steady RSS of the doctor through a backlog, of the
 *   server with 500 SSE clients, of the monitor's pages over a simulated
 *   week at 2,000 partitions and of a console search over 1,000,000
 *   records, each with a leak check over ten rounds after a warm-up.
 * - idle: the server launched as `deno task start`, nothing happening: its
 *   share of a core and resident set, measured from outside.
 * - scale: 300 topics of 2,000 partitions and 300 groups on the cluster; the
 *   idle server's share of a core with the monitor sampling them, and the
 *   monitor's 24-h view, the groups page and the console's topic list timed
 *   and weighed.
 * - scaleout: on a 3-node cluster of its own, one doctor against three
 *   sharing 12 partitions in one group (and three each with its own group):
 *   rates, CPU per 1,000 demands of every process, the machine's busy cores.
 */
import { parseArgs } from "node:util";
import { ensureBroker, ROOT } from "../kafka/ensure.ts";
import { ensureKafkaJars } from "../kafka/jars.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { runMain } from "../shared/core/config.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import type { BenchContext } from "./context.ts";
import { summarise } from "./cpu_profile.ts";
import { consoleSection } from "./console_section.ts";
import { doctorSection } from "./doctor_section.ts";
import { exportSection } from "./export_section.ts";
import { liveSection } from "./live_section.ts";
import { Results, resultsPath } from "./results.ts";
import { MEMORY_SUBJECTS, memorySection, type MemorySubject } from "./memory_section.ts";
import { idleSection } from "./idle_section.ts";
import { scaleSection } from "./scale_section.ts";
import { scaleoutSection } from "./scaleout_section.ts";
import { monitorSection } from "./monitor_section.ts";
import { restSection } from "./rest_section.ts";
import { machineInfo, versionInfo } from "./run_info.ts";
import { recordMachineSpeed } from "./machine_speed.ts";

const SECTIONS = [
  "doctor",
  "rest",
  "live",
  "console",
  "monitor",
  "export",
  "memory",
  "idle",
  "scale",
  "scaleout",
] as const;
type Section = typeof SECTIONS[number];

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
      "live-backlog": { type: "string", default: "1000000" },
      "console-messages": { type: "string", default: "1000000" },
      "export-messages": { type: "string", default: "1000000" },
      "memory-backlog": { type: "string", default: "100000" },
      "memory-clients": { type: "string", default: "500" },
      "memory-subjects": { type: "string", default: MEMORY_SUBJECTS.join(",") },
      "memory-days": { type: "string", default: "1" },
      "memory-topics": { type: "string", default: "300" },
      "memory-partitions": { type: "string", default: "2000" },
      "memory-records": { type: "string", default: "1000000" },
      "memory-arena-max": { type: "string" },
      "idle-seconds": { type: "string", default: "60" },
      "scale-topics": { type: "string", default: "300" },
      "scale-partitions": { type: "string", default: "2000" },
      "scaleout-messages": { type: "string", default: "300000" },
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
  const liveBacklog = intOption("live-backlog", values["live-backlog"], 0);
  const consoleMessages = intOption("console-messages", values["console-messages"], 1_000);
  const exportMessages = intOption("export-messages", values["export-messages"], 1_000);
  const memoryBacklog = intOption("memory-backlog", values["memory-backlog"], 1_000);
  const memoryClients = intOption("memory-clients", values["memory-clients"], 1);
  const memoryDays = intOption("memory-days", values["memory-days"], 1);
  const memoryTopics = intOption("memory-topics", values["memory-topics"], 1);
  const memoryPartitions = intOption(
    "memory-partitions",
    values["memory-partitions"],
    memoryTopics,
  );
  const memoryRecords = intOption("memory-records", values["memory-records"], 100_000);
  const memoryArenaMax = values["memory-arena-max"] === undefined
    ? undefined
    : intOption("memory-arena-max", values["memory-arena-max"], 1);
  const memorySubjects = values["memory-subjects"].split(",").map((s) => s.trim());
  const unknownSubject = memorySubjects.find((s) =>
    !(MEMORY_SUBJECTS as readonly string[]).includes(s)
  );
  if (unknownSubject !== undefined) {
    console.error(
      `--memory-subjects: expected some of ${MEMORY_SUBJECTS.join(",")} (got ${
        JSON.stringify(unknownSubject)
      })`,
    );
    Deno.exit(2);
  }
  const idleSeconds = intOption("idle-seconds", values["idle-seconds"], 5);
  const scaleTopics = intOption("scale-topics", values["scale-topics"], 1);
  const scalePartitions = intOption("scale-partitions", values["scale-partitions"], scaleTopics);
  const scaleoutMessages = intOption("scaleout-messages", values["scaleout-messages"], 1_000);
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
      liveBacklog,
      consoleMessages,
      exportMessages,
      memoryBacklog,
      memoryClients,
      memorySubjects,
      memoryDays,
      memoryTopics,
      memoryPartitions,
      memoryRecords,
      memoryArenaMax,
      idleSeconds,
      scaleTopics,
      scalePartitions,
      scaleoutMessages,
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
  recordMachineSpeed(results, "machine.fixedWork", "when the run started");
  const path = resultsPath(`${ROOT}/bench/results`, startedAt);
  await results.save(path);
  const config = loadKafkaConfig("admin");
  const kafka = createKafka(config, { clientSuffix: "bench" });
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.`;
  const tmpDir = await Deno.makeTempDir({ prefix: "freshet-bench-" });

  try {
    const ctx: BenchContext = {
      kafka,
      config,
      prefix,
      tmpDir,
      results,
      libs,
      javaHome,
      profile: values.profile,
      async keepProfile(profile, name) {
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
      },
    };
    const run: Record<Section, () => Promise<void>> = {
      doctor: () => doctorSection(ctx, { count, seedDefaultsCount }),
      rest: () => restSection(ctx, { restRecords }),
      live: () => liveSection(ctx, { liveRate, liveBatch, liveSeconds, liveBacklog }),
      console: () => consoleSection(ctx, { messages: consoleMessages }),
      monitor: () => monitorSection(ctx, { count }),
      export: () => exportSection(ctx, { messages: exportMessages }),
      memory: () =>
        memorySection(ctx, {
          subjects: memorySubjects as MemorySubject[],
          backlog: memoryBacklog,
          clients: memoryClients,
          history: {
            days: memoryDays,
            topics: memoryTopics,
            partitions: memoryPartitions,
            groups: memoryTopics,
          },
          records: memoryRecords,
          mallocArenaMax: memoryArenaMax,
        }),
      idle: () => idleSection(ctx, { seconds: idleSeconds }),
      scale: () =>
        scaleSection(ctx, {
          topics: scaleTopics,
          partitions: scalePartitions,
          seconds: idleSeconds,
        }),
      scaleout: () => scaleoutSection(ctx, { messages: scaleoutMessages }),
    };
    for (const section of SECTIONS) {
      if (!sections.has(section)) continue;
      const ok = await results.section(section, path, run[section]);
      if (!ok) {
        console.error(
          `\n${section}: FAILED (recorded) — ${results.failedSections().at(-1)!.error}`,
        );
      }
    }
    recordMachineSpeed(results, "machine.fixedWorkAtEnd", "when the run ended");
    await results.finish(path);
    const missed = results.data.checks.filter((c) => c.pass === false).length;
    const failed = results.failedSections().map((s) => s.name);
    console.log(
      `\nresults: ${path} (${missed} of the targets missed${
        failed.length > 0 ? `; sections failed: ${failed.join(", ")}` : ""
      })`,
    );
    if (failed.length > 0) Deno.exitCode = 1;
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
