/**
 * The console section: the message browser's newest 50 of a large topic
 * and of one ten times smaller, through the web server (flat in the
 * topic's size); a filtered search over the large topic next to Java
 * ConsumerPerformance on it.
 */
import { consoleBench, prepareConsoleTopic } from "./console_bench.ts";
import { type BenchContext, fmt } from "./context.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";
import { describeCheck } from "./results.ts";

/** Runs the section over a topic of `messages` messages (and one of a tenth). */
export async function consoleSection(
  ctx: BenchContext,
  { messages }: { messages: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  const big = { topic: `${prefix}console-big`, messages };
  const small = { topic: `${prefix}console-small`, messages: Math.round(messages / 10) };
  console.log(
    `\nconsole: newest 50 of ${fmt(big.messages)} and ${
      fmt(small.messages)
    } messages (~1 KB, 3 partitions); a filtered search over the first`,
  );
  await prepareConsoleTopic(kafka, big.topic, big.messages);
  await prepareConsoleTopic(kafka, small.topic, small.messages);
  const java = await javaConsumerPerf(ctx.config, {
    libs: ctx.libs,
    topic: big.topic,
    messages: big.messages,
    javaHome: ctx.javaHome,
    tmpDir,
  });
  const result = await consoleBench({ topics: [big, small], dataDir: tmpDir });
  for (const n of result.newest) {
    results.figure(
      `consoleNewest50.${n.messages}.p95`,
      n.latency.p95,
      "ms",
      `newest 50 of a ${n.messages}-message topic over HTTP, p95 of 20 requests`,
    );
    console.log(
      `  newest 50 of ${fmt(n.messages).padStart(9)}: p50 ${n.latency.p50.toFixed(1)} ms, p95 ${
        n.latency.p95.toFixed(1)
      } ms, max ${n.latency.max.toFixed(1)} ms`,
    );
    console.log(
      `  ${
        describeCheck(results.check(`newest 50 of ${n.messages}, p95 ms`, n.latency.p95, {
          atMost: 300,
        }))
      }`,
    );
  }
  const [b, s] = result.newest;
  console.log(
    `  p95 ratio ${fmt(b.messages)} / ${fmt(s.messages)}: ${
      (b.latency.p95 / s.latency.p95).toFixed(2)
    } (flat in the topic's size: ≈ 1)`,
  );
  const javaRate = results.figure(
    "consoleJavaConsumer",
    java.msgsPerSec,
    "msgs/s",
    "Java ConsumerPerformance over the large topic",
  );
  const search = results.figure(
    "consoleSearch",
    result.search.msgsPerSec,
    "msgs/s",
    "filtered search over the large topic through the web server",
  );
  console.log(`  Java ConsumerPerformance: ${fmt(javaRate)} msgs/s`);
  console.log(
    `  filtered search (HTTP):   ${fmt(search)} msgs/s (${fmt(result.search.scanned)} scanned in ${
      (result.search.elapsedMs / 1000).toFixed(1)
    } s, stopped: ${result.search.stop})`,
  );
  console.log(
    `  ${
      describeCheck(results.check("console search / Java", search / javaRate, { atLeast: 0.4 }))
    }`,
  );
}
