/**
 * The monitor alone at the scale section's size, in this process: 300
 * topics of its own prefix holding 2,000 partitions with 6 records each,
 * 300 groups 3 behind, the monitor started on that prefix (no other
 * consumer, no web server, nobody else's topics), and its CPU over 30 s
 * once it has settled. Steadier than the whole server's figure on a shared
 * machine, and it tells the sampler from the traffic consumer:
 *
 *   deno run -P=bench-profile bench/monitor_alone.ts [all|nosampler] [profile|-] [WAITS]
 *
 * `nosampler` stops the lag sampler after its first sample (what is left
 * is the traffic consumer and the timers); `profile` adds a V8 profile's
 * summary (cpu_profile.ts; the profiler costs ~2–3 points itself). WAITS,
 * e.g. `1000,5000,1000,5000`: one monitor after the other on the same
 * topics and data folder, each with that traffic fetch wait (ms), so two
 * settings are compared in alternating windows of one run (default: one
 * monitor with the monitor's own default).
 */
import process from "node:process";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { readEnv } from "../shared/core/config.ts";
import { createMonitor } from "../services/monitor/main.ts";
import { fillScaleCluster, scaleNames } from "./scale_section.ts";
import { startProfile, summarise } from "./cpu_profile.ts";

const [mode = "all", profiling, waitList] = Deno.args;
const waits = waitList ? waitList.split(",").map(Number) : [undefined];
const prefix = `alone-${crypto.randomUUID().slice(0, 6)}.`;
const kafka = createKafka(loadKafkaConfig("admin"), { clientSuffix: "bench-alone" });
const { counts, names, groups } = scaleNames(prefix, 300, 2_000);
const dataDir = await Deno.makeTempDir({ prefix: "freshet-monitor-alone-" });
try {
  await fillScaleCluster(kafka, names, groups, counts);
  const admin = loadKafkaConfig("admin");
  for (const [round, wait] of waits.entries()) {
    const monitor = createMonitor({
      ...readEnv(kafkaEnvNames("admin")),
      KAFKA_MONITOR_USERNAME: admin.sasl?.username ?? "admin",
      KAFKA_MONITOR_PASSWORD: admin.sasl?.password ?? "admin-secret",
      FRESHET_TOPIC_PREFIX: prefix,
    }, { dataDir, mode: "process", trafficFetchWaitMs: wait });
    await monitor.start();
    if (mode === "nosampler") await monitor.sampler.stop();
    // Settled: the traffic consumer has read the 12,000 records (the first round), the sampler
    // every group.
    await new Promise((resolve) => setTimeout(resolve, round === 0 ? 40_000 : 20_000));
    const profiler = profiling === "profile" ? await startProfile(1_000) : undefined;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const cpu = process.cpuUsage(cpu0);
    const percent = (cpu.user + cpu.system) / 1_000 / (performance.now() - wall0) * 100;
    console.log(
      `monitor alone (${mode}, traffic fetch wait ${wait ?? "default"}): ` +
        `${percent.toFixed(1)} % of a core over 30 s; ` +
        `${monitor.sampler.samples} samples, ${monitor.consumer.counters.messages} messages ` +
        `counted; load ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    );
    if (profiler) {
      const summary = summarise(await profiler.stop(), 20);
      for (const line of summary.byCategory) console.log(`  ${line.percent} % ${line.name}`);
      for (const line of summary.byFunction) console.log(`  ${line.percent} % ${line.name}`);
    }
    const stopping = performance.now();
    await monitor.stop();
    console.log(`  stopped in ${Math.round(performance.now() - stopping)} ms`);
  }
} finally {
  await withAdmin(kafka, async (admin) => {
    await admin.deleteGroups(groups).catch(() => {});
    await admin.deleteTopics({ topics: names }).catch(() => {});
  });
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
// The monitor's bus channel stays open (main.ts closes it for a real process): end here.
Deno.exit(0);
