/**
 * The scale section (issue 22, item 4): many topics, partitions and groups
 * on the cluster — by default 300 topics holding 2,000 partitions with 6
 * records each, and 300 groups, each 3 records behind on its topic — then
 * the server launched as `deno task start` launches it: its whole CPU share
 * while idle (the monitor sampling every group and topic every 5 s is most
 * of it), and the pages an operator opens first, timed and weighed: the
 * monitor's 24-h view, the groups page, the console's topic list.
 */
import type { Kafka } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { type BenchContext, fmt } from "./context.ts";
import { cpuOver, describeAround, describeThreads, withServer } from "./idle_bench.ts";
import { describeCheck } from "./results.ts";
import { waitUntil } from "./wait.ts";
import { monitorGroupId } from "../services/monitor/monitor.ts";

/** Targets of issue 22 (docs/performance.md "Scale"). */
export const SCALE_TARGETS = {
  /** The idle server's share of a core with the monitor sampling it all, per cent. */
  samplingPercent: 5,
  monitorMs: 1_000,
  groupsMs: 300,
  consoleTopicsMs: 500,
  pageBytes: 300_000,
};

/** Partition counts of `topics` topics summing to `partitions`. */
export function spread(topics: number, partitions: number): number[] {
  return Array.from(
    { length: topics },
    (_, i) => Math.floor(partitions / topics) + (i < partitions % topics ? 1 : 0),
  );
}

/** The median time and the size of `GET url` over `tries` tries. */
async function timed(
  url: string,
  headers: HeadersInit = {},
  tries = 3,
): Promise<{ ms: number; bytes: number; status: number }> {
  const runs: { ms: number; bytes: number; status: number }[] = [];
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers });
    const bytes = (await response.arrayBuffer()).byteLength;
    runs.push({ ms: performance.now() - started, bytes, status: response.status });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[runs.length >> 1];
}

/** The scale set-up's topics (with their partition counts) and groups under `prefix`. */
export function scaleNames(
  prefix: string,
  topics: number,
  partitions: number,
): { counts: number[]; names: string[]; groups: string[] } {
  const counts = spread(topics, partitions);
  const names = counts.map((_, i) => `${prefix}scale.t${String(i).padStart(4, "0")}`);
  const groups = names.map((_, i) => `${prefix}scale.g${String(i).padStart(4, "0")}`);
  return { counts, names, groups };
}

/**
 * Creates `names` with `counts` partitions, writes 6 records to every
 * partition and sets each of `groups` 3 records behind on its topic.
 */
export async function fillScaleCluster(
  kafka: Kafka,
  names: string[],
  groups: string[],
  counts: number[],
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    for (let i = 0; i < names.length; i += 50) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: names.slice(i, i + 50).map((topic, j) => ({
          topic,
          numPartitions: counts[i + j],
        })),
      });
    }
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map((topic, j) =>
          producer.send({
            topic,
            messages: Array.from(
              { length: counts[i + j] },
              (_, p) => Array.from({ length: 6 }, (_, n) => ({ partition: p, value: `r${n}` })),
            ).flat(),
          })
        ),
      );
    }
  } finally {
    await producer.disconnect();
  }
  await withAdmin(kafka, async (admin) => {
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map((topic, j) =>
          admin.setOffsets({
            groupId: groups[i + j],
            topic,
            partitions: Array.from({ length: counts[i + j] }, (_, p) => ({
              partition: p,
              offset: "3",
            })),
          })
        ),
      );
    }
  });
}

/**
 * Seconds between the monitor's catch-up and the window: the server spends
 * its first ~90 s after listening well above its idle cost (idle_bench.ts).
 */
const SCALE_SETTLE_SECONDS = 60;

/** Runs the section. */
export async function scaleSection(
  ctx: BenchContext,
  { topics, partitions, seconds }: { topics: number; partitions: number; seconds: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  const { counts, names, groups } = scaleNames(prefix, topics, partitions);
  console.log(
    `\nscale: ${fmt(topics)} topics, ${fmt(partitions)} partitions of 6 records, ${
      fmt(topics)
    } groups 3 behind`,
  );
  const setUpStarted = performance.now();
  await fillScaleCluster(kafka, names, groups, counts);
  console.log(`  set up in ${fmt((performance.now() - setUpStarted) / 1000)} s`);
  try {
    await withServer(
      { port: 8000 + Math.floor(Math.random() * 900) + 50, dataDir: `${tmpDir}/scale` },
      async (server) => {
        const auth = { authorization: `Basic ${btoa("viewer:viewer-secret")}` };
        const seen = await waitUntil("the monitor to sample every scale group", async () => {
          const body = await fetch(`${server.url}/api/groups`).then((r) => r.json())
            .catch(() => ({}));
          const listed = (body?.groups ?? []) as { group: string }[];
          return listed.filter((g) => g.group.startsWith(`${prefix}scale.`)).length >= topics;
        }, { timeoutMs: 180_000, intervalMs: 2_000 });
        console.log(`  the monitor sampled every group after ${seen} looks (2 s apart)`);
        // Its traffic consumer starts on 2,000 partitions' records at the same time: the idle
        // window starts once its own group (as it samples it) is caught up, or it measures that.
        const own = monitorGroupId({}); // the launched server has no topic prefix
        const caughtUp = await waitUntil("the monitor's traffic consumer to catch up", async () => {
          const body = await fetch(`${server.url}/api/groups`).then((r) => r.json())
            .catch(() => ({}));
          const listed = (body?.groups ?? []) as { group: string; lag: number }[];
          return listed.find((g) => g.group === own)?.lag === 0;
        }, { timeoutMs: 180_000, intervalMs: 2_000 });
        console.log(`  its traffic consumer caught up after ${caughtUp} looks (2 s apart)`);
        // And the end of the server's start (V8 compiling, the first full summaries): idle_bench.ts.
        await new Promise((resolve) => setTimeout(resolve, SCALE_SETTLE_SECONDS * 1_000));
        const cpu = await cpuOver(server, seconds);
        const pages = {
          monitor: await timed(`${server.url}/monitor?range=24h`),
          groups: await timed(`${server.url}/groups`),
          consoleTopics: await timed(`${server.url}/console/topics`, auth),
          apiTopics: await timed(`${server.url}/api/topics`, auth),
        };
        results.data.notes.scale = { topics, partitions, cpu, pages };
        results.figure("scale.serverCpu", cpu.cpuPercent, "% of a core", "idle server, all of it");
        results.figure(
          "scale.busiestThreadCpu",
          cpu.threads[0]?.cpuPercent ?? 0,
          "% of a core",
          `its busiest thread (${cpu.threads[0]?.name}: the monitor's Worker at this size)`,
        );
        for (const [name, page] of Object.entries(pages)) {
          results.figure(`scale.${name}.ms`, page.ms, "ms", `GET, median of 3`);
          results.figure(`scale.${name}.bytes`, page.bytes, "bytes", `GET, its body`);
          console.log(
            `  ${name}: ${page.status} in ${page.ms.toFixed(0)} ms, ${fmt(page.bytes / 1024)} KiB`,
          );
        }
        console.log(
          `  the idle server with it all: ${cpu.cpuPercent} % of a core over ${cpu.windowSeconds} s, RSS ${cpu.rssMiB} MiB`,
        );
        console.log(`  by thread: ${describeThreads(cpu.threads)}`);
        console.log(`  beside it over the same window: ${describeAround(cpu)}`);
        for (
          const check of [
            results.check("scale: idle server incl. sampling, % of a core", cpu.cpuPercent, {
              atMost: SCALE_TARGETS.samplingPercent,
            }),
            results.check("scale: /monitor 24 h, ms", pages.monitor.ms, {
              atMost: SCALE_TARGETS.monitorMs,
            }),
            results.check("scale: /monitor 24 h, bytes", pages.monitor.bytes, {
              atMost: SCALE_TARGETS.pageBytes,
            }),
            results.check("scale: /groups, ms", pages.groups.ms, {
              atMost: SCALE_TARGETS.groupsMs,
            }),
            results.check("scale: /groups, bytes", pages.groups.bytes, {
              atMost: SCALE_TARGETS.pageBytes,
            }),
            results.check("scale: /console/topics, ms", pages.consoleTopics.ms, {
              atMost: SCALE_TARGETS.consoleTopicsMs,
            }),
          ]
        ) console.log(`  ${describeCheck(check)}`);
      },
    );
  } finally {
    await withAdmin(kafka, (admin) => admin.deleteGroups(groups)).catch(() => {});
  }
}
