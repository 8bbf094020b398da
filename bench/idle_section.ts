/**
 * The idle section: the server launched as `deno task start` launches it,
 * nothing happening, its CPU share and resident set measured from outside
 * (idle_bench.ts), with the size of the cluster the monitor samples beside
 * it (its cost grows with the topics, partitions and groups there are).
 * Target: ≤ 2 % of a core (issue 22; docs/performance.md "Idle").
 */
import { withAdmin } from "../shared/kafka/client.ts";
import { type BenchContext, fmt } from "./context.ts";
import { describeAround, describeThreads, idleServerCost } from "./idle_bench.ts";
import { describeCheck } from "./results.ts";

/** Target: the idle server's share of one core, per cent. */
export const IDLE_TARGET_PERCENT = 2;

/** Runs the section: one window of `seconds` after every consumer runs. */
export async function idleSection(
  ctx: BenchContext,
  { seconds }: { seconds: number },
): Promise<void> {
  const { kafka, tmpDir, results } = ctx;
  const size = await withAdmin(kafka, async (admin) => {
    const topics = await admin.listTopics();
    const meta = await admin.fetchTopicMetadata({ topics });
    const groups = await admin.listGroups();
    return {
      topics: topics.length,
      partitions: meta.topics.reduce((n, t) => n + t.partitions.length, 0),
      groups: groups.groups.length,
    };
  });
  console.log(
    `\nidle: the server (web, five consumers, monitor) with nothing happening, for ${seconds} s; ` +
      `the cluster holds ${fmt(size.topics)} topics, ${fmt(size.partitions)} partitions, ` +
      `${fmt(size.groups)} groups`,
  );
  const idle = await idleServerCost({
    port: 8000 + Math.floor(Math.random() * 900) + 50,
    dataDir: `${tmpDir}/idle`,
    windowSeconds: seconds,
  });
  results.data.notes.idle = { ...idle, cluster: size };
  results.figure("idleServer.cpu", idle.cpuPercent, "% of a core", "idle server, all threads");
  results.figure("idleServer.rss", idle.rssMiB, "MiB", "idle server's resident set");
  results.figure(
    "idleServer.wakeUps",
    idle.wakeUpsPerSecond,
    "a second",
    "idle server's wake-ups, every thread (voluntary context switches)",
  );
  console.log(
    `  ${
      idle.cpuPercent.toFixed(1)
    } % of one core over ${idle.windowSeconds} s, RSS ${idle.rssMiB} MiB ` +
      `(${idle.consumers} consumers running)`,
  );
  console.log(
    `  ${idle.wakeUpsPerSecond} wake-ups a second in all, ` +
      `${(idle.cpuPercent / Math.max(idle.wakeUpsPerSecond, 0.1)).toFixed(3)} % of a core each`,
  );
  console.log(`  by thread (wake-ups a second): ${describeThreads(idle.threads)}`);
  console.log(`  beside it over the same window: ${describeAround(idle)}`);
  results.figure(
    "idleServer.brokersCpu",
    idle.brokersCpu.reduce((sum, n) => sum + n, 0),
    "% of a core",
    "the local brokers' JVMs over the same window (0: none on this machine)",
  );
  results.figure(
    "idleServer.machineBusy",
    idle.machineBusyPercent,
    "% of a core",
    "the whole machine's busy time over the same window, every core summed",
  );
  console.log(
    `  ${
      describeCheck(
        results.check("idle server, % of a core", idle.cpuPercent, {
          atMost: IDLE_TARGET_PERCENT,
        }),
      )
    }`,
  );
}
