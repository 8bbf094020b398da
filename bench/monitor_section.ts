/**
 * The monitor section: the monitor counting a topic of ~1 KB demands next
 * to Java ConsumerPerformance on it; the CPU cost of sampling 200
 * partitions every 5 s; the 24-h topics API over a full day of 5-s samples.
 */
import { type BenchContext, fmt } from "./context.ts";
import { prepareDemands } from "./doctor_bench.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";
import { historyReadCost, monitorConsumeRate, samplingCost } from "./monitor_bench.ts";
import { describeCheck } from "./results.ts";

/** Runs the section over `count` demands. */
export async function monitorSection(
  ctx: BenchContext,
  { count }: { count: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  console.log(`\nmonitor: counting ${fmt(count)} demands of ~1 KB on 3 partitions`);
  const topic = await prepareDemands(kafka, `${prefix}monitor.`, count);
  const java = await javaConsumerPerf(ctx.config, {
    libs: ctx.libs,
    topic,
    messages: count,
    javaHome: ctx.javaHome,
    tmpDir,
  });
  const monitor = results.figure(
    "monitorConsume",
    await monitorConsumeRate({ prefix: topic, count, dataDir: tmpDir }),
    "msgs/s",
    "the monitor counting the topic, group join included",
  );
  const javaRate = results.figure(
    "monitorJavaConsumer",
    java.msgsPerSec,
    "msgs/s",
    "Java ConsumerPerformance on the same topic",
  );
  console.log(
    `  Java ConsumerPerformance: ${fmt(javaRate)} msgs/s (fetch only: ${
      fmt(java.fetchMsgsPerSec)
    })`,
  );
  console.log(`  monitor counting:         ${fmt(monitor)} msgs/s (group join included)`);
  console.log(
    `  ${describeCheck(results.check("monitor / Java", monitor / javaRate, { atLeast: 0.5 }))}`,
  );
  const sampling = await samplingCost(kafka, { prefix: `${prefix}sampling.`, dataDir: tmpDir });
  results.figure(
    "monitorSamplingCpu",
    sampling.cpuPercent,
    "% of a core",
    `sampling ${sampling.partitions} partitions every 5 s`,
  );
  console.log(
    `  sampling ${sampling.partitions} partitions every 5 s: ${
      sampling.cpuPercent.toFixed(2)
    } % of one core over ${sampling.samples} samples (idle process: ${
      sampling.idlePercent.toFixed(2)
    } %); ${
      sampling.sampleMsP50.toFixed(0)
    } ms per sample (median); ${sampling.warmUpSamples} warm-up sample(s) to see them all`,
  );
  console.log(
    `  ${
      describeCheck(
        results.check("monitor sampling, % of a core", sampling.cpuPercent, { atMost: 5 }),
      )
    }`,
  );
  const history = await historyReadCost({ dataDir: tmpDir });
  for (const r of history.ranges) {
    results.figure(
      `monitorHistory.${r.range}.p50`,
      r.p50Ms,
      "ms",
      `/api/monitor/topics?range=${r.range} over a day of 5-s samples`,
    );
    console.log(
      `  /api/monitor/topics?range=${r.range} (${fmt(history.fineRows)} rows): ${
        r.p50Ms.toFixed(0)
      } ms median, ${r.maxMs.toFixed(0)} ms max, ${r.points} points per series`,
    );
    if (r.range === "24h") {
      console.log(
        `  ${
          describeCheck(results.check("monitor 24h range, max ms", r.maxMs, { atMost: 1_000 }))
        }`,
      );
    }
  }
}
