/** The live section: produce → island latency, idle and at a steady rate. */
import { type BenchContext, fmt } from "./context.ts";
import { liveBench } from "./live_bench.ts";
import { describeCheck } from "./results.ts";

/** Runs the section at `liveRate` demands a second, `liveBatch` per request, for `liveSeconds`. */
export async function liveSection(
  ctx: BenchContext,
  { liveRate, liveBatch, liveSeconds, liveBacklog }: {
    liveRate: number;
    liveBatch: number;
    liveSeconds: number;
    /** Demands a second doctor applies meanwhile (0: none). */
    liveBacklog: number;
  },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  console.log(
    `\nproduce → island: REST proxy → Kafka → doctor → bus → SSE, ${
      fmt(liveRate)
    } demands/s for ${liveSeconds} s` +
      (liveBacklog > 0
        ? `, while a second doctor applies a backlog of ${fmt(liveBacklog)} demands`
        : ""),
  );
  const live = await liveBench(kafka, `${prefix}live.`, {
    ratePerSec: liveRate,
    seconds: liveSeconds,
    perRequest: liveBatch,
    dataDir: tmpDir,
    backlog: liveBacklog,
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
  if (live.backlog) {
    const { applied, backlog, seconds, perSec } = live.backlog;
    console.log(
      `  the second doctor applied ${fmt(applied)} of ${fmt(backlog)} demands in ${
        seconds.toFixed(1)
      } s (${fmt(Math.round(perSec))}/s)` +
        (applied < backlog ? ", still applying when the loaded phase ended" : ""),
    );
    results.figure("live.backlog.perSec", perSec, "msgs/s", "the second doctor's rate meanwhile");
    results.check("the backlog lasted the whole measurement", applied < backlog ? 1 : 0, {
      atLeast: 1,
    });
  }
  for (
    const check of [
      results.check("produce → island p50 ms", live.loaded.p50, { atMost: 25 }),
      results.check("produce → island p99 ms", live.loaded.p99, { atMost: 150 }),
    ]
  ) console.log(`  ${describeCheck(check)}`);
}
