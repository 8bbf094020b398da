/**
 * `deno task bench [--messages N]`: throughput of Freshet's hot paths as
 * ratios against a reference run on the same broker in the same run.
 *
 * - doctor: demands.created (~1 KB, 3 partitions) materialised into SQLite,
 *   next to Kafka's Java ConsumerPerformance on the same topic.
 */
import { parseArgs } from "node:util";
import { ensureBroker, ROOT } from "../kafka/ensure.ts";
import { ensureKafkaJars } from "../kafka/jars.ts";
import { runMain } from "../shared/config.ts";
import { createKafka, withAdmin } from "../shared/kafka.ts";
import { loadKafkaConfig } from "../shared/kafka_config.ts";
import { setLogLevel } from "../shared/log.ts";
import { doctorThroughput, prepareDemands } from "./doctor_bench.ts";
import { javaConsumerPerf } from "./java_consumer_perf.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("en");

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: { messages: { type: "string", default: "200000" } },
  });
  const count = Number(values.messages);
  if (!Number.isInteger(count) || count < 1_000) {
    console.error(
      `--messages: expected an integer ≥ 1000 (got ${JSON.stringify(values.messages)})`,
    );
    Deno.exit(2);
  }
  setLogLevel("warn");
  const cluster = await ensureBroker();
  const config = loadKafkaConfig("admin");
  const kafka = createKafka(config, { clientSuffix: "bench" });
  const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.`;
  const tmpDir = await Deno.makeTempDir({ prefix: "freshet-bench-" });
  try {
    console.log(`doctor materialisation: ${fmt(count)} demands of ~1 KB on 3 partitions`);
    const topic = await prepareDemands(kafka, prefix, count);
    const java = await javaConsumerPerf(config, {
      libs: await ensureKafkaJars(ROOT),
      topic,
      messages: count,
      javaHome: Deno.env.get("JAVA_HOME"),
      tmpDir,
    });
    const doctor = await doctorThroughput(kafka, { prefix, count, dataDir: tmpDir });
    console.log(
      `  Java ConsumerPerformance: ${fmt(java.msgsPerSec)} msgs/s (fetch only: ${
        fmt(java.fetchMsgsPerSec)
      })`,
    );
    console.log(`  doctor into SQLite:       ${fmt(doctor)} msgs/s`);
    console.log(
      `  ratio doctor / Java:      ${
        (doctor / java.msgsPerSec).toFixed(2)
      } (target ≥ 0.5; ≥ 30,000 msgs/s)`,
    );
  } finally {
    await withAdmin(kafka, async (admin) => {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      await admin.deleteTopics({ topics });
    }).catch(() => {});
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    if (cluster) await cluster.stop();
  }
});
