/**
 * `deno task bench:doctor-rounds [count] [rounds]`: the doctor pipelined
 * and on one thread (`CONSUMER_PIPELINE=off`) in alternating rounds over
 * one loaded topic, each against the bare-insert limit of its own round;
 * the quick way to compare the two on a noisy machine (docs/performance.md,
 * "Fourth pass"). Default: 200,000 demands, 3 rounds.
 */
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { bareInsertLimit } from "./bare_insert.ts";
import { doctorThroughput, prepareDemands } from "./doctor_bench.ts";

const count = Number(Deno.args[0] ?? 200_000);
const rounds = Number(Deno.args[1] ?? 3);
if (!(count > 0) || !(rounds > 0)) {
  console.error("usage: deno task bench:doctor-rounds [count > 0] [rounds > 0]");
  Deno.exit(2);
}
const kafka = createKafka(loadKafkaConfig("admin"), { clientSuffix: "bench" });
const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.`;
const dataDir = await Deno.makeTempDir({ prefix: "freshet-doctor-rounds-" });
try {
  await prepareDemands(kafka, prefix, count);
  for (let round = 1; round <= rounds; round++) {
    const limit = await bareInsertLimit({ count, dataDir });
    const rates: number[] = [];
    for (const pipelined of [true, false]) {
      const { throughput } = await doctorThroughput(kafka, { prefix, count, dataDir, pipelined });
      rates.push(throughput.perSec);
      console.log(
        `round ${round} ${pipelined ? "pipelined " : "one thread"}: ` +
          `${Math.round(throughput.perSec)}/s, ${throughput.cpuUsPerMsg.toFixed(1)} CPU µs each, ` +
          `${(throughput.perSec / limit.perSec).toFixed(2)} of the limit (${
            Math.round(limit.perSec)
          }/s)`,
      );
    }
    console.log(`round ${round} pipelined / one thread: ${(rates[0] / rates[1]).toFixed(2)}`);
  }
} finally {
  await withAdmin(kafka, async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics });
  });
  await Deno.remove(dataDir, { recursive: true });
}
// KafkaJS's clients keep timers; the rounds are over.
Deno.exit(0);
