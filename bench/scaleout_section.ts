/**
 * The scale-out section (issue 22, item 4): do three doctors sharing 12
 * partitions apply at least twice one doctor's rate on a 3-node cluster —
 * and if not, is it the machine? On a cluster of its own
 * (scaleout_cluster.ts) it runs each arrangement of scaleout_bench.ts over
 * the same backlog: one doctor, three sharing one group (sharded), three
 * each with its own group (views). For each: the rate, the CPU seconds per
 * 1,000 demands of every doctor and of the brokers, the cores they kept
 * busy, the machine's busy cores (everything on it, other work included),
 * the load average, and the ceiling the measured CPU per demand allows on
 * every core. A warm-up round comes first (one doctor over a smaller
 * backlog, not recorded), so the brokers' JIT compilation is in none of
 * them. The cluster is stopped and its folder removed at the end, failed
 * or not.
 */
import { type BenchContext, fmt } from "./context.ts";
import { describeCheck } from "./results.ts";
import {
  type ArrangementName,
  type ArrangementResult,
  ARRANGEMENTS,
  runArrangement,
} from "./scaleout_bench.ts";
import { SCALEOUT_CLUSTER, startScaleoutCluster } from "./scaleout_cluster.ts";
import { singleDoctorCeiling } from "./scaleout_figures.ts";

/** Partitions of the doctor's topics in the section. */
const PARTITIONS = 12;

const WHAT: Record<ArrangementName, string> = {
  one: "one doctor reading all 12 partitions",
  sharded: "three doctors sharing the 12 partitions in one group (each applies a third)",
  views: "three doctors each with its own group (each applies all 12)",
};

/** Runs the section over a backlog of `messages` demands. */
export async function scaleoutSection(
  ctx: BenchContext,
  { messages }: { messages: number },
): Promise<void> {
  const { results } = ctx;
  const cores = navigator.hardwareConcurrency;
  console.log(
    `\nscale-out: ${fmt(messages)} demands of ~1 KB on ${PARTITIONS} partitions, a 3-node ` +
      `cluster of its own (${SCALEOUT_CLUSTER.firstHost}–, port ${SCALEOUT_CLUSTER.port}), ${cores} cores`,
  );
  const dir = await Deno.makeTempDir({ dir: ctx.tmpDir, prefix: "scaleout-" });
  try {
    const starting = performance.now();
    const cluster = await startScaleoutCluster(`${dir}/kafka`);
    try {
      const startSeconds = results.figure(
        "scaleout.clusterStartSeconds",
        (performance.now() - starting) / 1000,
        "s",
        "the 3-node cluster's start (format, certificates, logins)",
      );
      console.log(`  cluster ready in ${startSeconds.toFixed(1)} s: ${cluster.brokers.join(",")}`);
      const options = {
        count: messages,
        partitions: PARTITIONS,
        dataDir: `${dir}/doctors`,
        cores,
        progress: (line: string) => console.log(`    ${line}`),
      };
      // The brokers' JVMs compile their hot paths on the first load: not in the first arrangement.
      const warmUp = Math.min(messages, 20_000);
      console.log(`  warm-up (not recorded): one doctor over ${fmt(warmUp)} demands`);
      await runArrangement(cluster, "one", {
        ...options,
        count: warmUp,
        prefix: "scaleout-warm-up.",
        dataDir: `${dir}/warm-up`,
      });
      const runs: Partial<Record<ArrangementName, ArrangementResult>> = {};
      for (const name of ARRANGEMENTS) {
        console.log(`  ${name}: ${WHAT[name]}`);
        const run = await runArrangement(cluster, name, options);
        runs[name] = run;
        record(ctx, run);
      }
      check(ctx, runs as Record<ArrangementName, ArrangementResult>, cores);
    } finally {
      await cluster.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Records one arrangement's figures and prints them. */
function record(ctx: BenchContext, run: ArrangementResult): void {
  const { results } = ctx;
  const { figures, name } = run;
  const key = `scaleout.${name}`;
  results.figure(
    `${key}.rate`,
    figures.rate,
    "demands/s",
    `${WHAT[name]}: demands applied a second`,
  );
  results.figure(`${key}.seconds`, figures.seconds, "s", `${WHAT[name]}: first demand to last`);
  for (const [label, cpu] of Object.entries(figures.doctorCpuPer1000)) {
    results.figure(
      `${key}.${label}.cpuPer1000`,
      cpu,
      "CPU s/1,000 demands",
      `${label}'s CPU per 1,000 demands it applied`,
    );
  }
  results.figure(
    `${key}.doctorsCpuPer1000`,
    figures.doctorsCpuPer1000,
    "CPU s/1,000 demands",
    `${WHAT[name]}: every doctor's CPU per 1,000 demands applied`,
  );
  results.figure(
    `${key}.brokersCpuPer1000`,
    figures.brokersCpuPer1000,
    "CPU s/1,000 demands",
    `${WHAT[name]}: the 3 brokers' CPU per 1,000 demands applied`,
  );
  results.figure(
    `${key}.measuredCores`,
    figures.measuredCores,
    "cores",
    `${WHAT[name]}: cores the doctors and brokers kept busy on average`,
  );
  results.figure(
    `${key}.machineBusyCores`,
    figures.machineBusyCores,
    "cores",
    `${WHAT[name]}: the machine's busy cores on average (/proc/stat: other work included)`,
  );
  results.figure(
    `${key}.ceiling`,
    figures.ceiling,
    "demands/s",
    `${WHAT[name]}: the rate its doctors' and brokers' CPU per demand allows on every core`,
  );
  results.figure(
    `${key}.loadAverage`,
    run.loadAverage.after[0],
    "",
    `${WHAT[name]}: the 1-minute load average once all was applied`,
  );
  results.data.notes[key] = {
    backlog: run.backlog,
    partitions: run.partitions,
    cpuSeconds: run.usage.processSeconds,
    sampledSeconds: run.usage.seconds,
    machineBusyShare: run.usage.machineBusyShare,
    gateToFirstMs: run.gateToFirstMs,
    loadAverage: run.loadAverage,
  };
  const doctors = Object.entries(figures.doctorCpuPer1000)
    .map(([label, cpu]) => `${label} ${cpu.toFixed(3)}`).join(", ");
  console.log(
    `    ${fmt(figures.applied)} applied in ${figures.seconds.toFixed(1)} s: ` +
      `${fmt(figures.rate)} demands/s; CPU s per 1,000: ${doctors}, brokers ` +
      `${figures.brokersCpuPer1000.toFixed(3)}; doctors + brokers ${
        figures.measuredCores.toFixed(2)
      } cores, machine ${
        figures.machineBusyCores.toFixed(2)
      } busy of ${navigator.hardwareConcurrency}; load ${
        run.loadAverage.after.join(" ")
      }; ceiling ${fmt(figures.ceiling)} demands/s`,
  );
}

/**
 * The checks: sharded / one against 2; the rest for scale — the views'
 * rate, how busy the machine was, and whether 2× was possible here at all:
 * the sharded doctors' ceiling against one doctor's measured rate and
 * against one doctor's own ceiling (the best ratio the machine allows).
 */
function check(
  ctx: BenchContext,
  runs: Record<ArrangementName, ArrangementResult>,
  cores: number,
): void {
  const { results } = ctx;
  const one = runs.one.figures;
  const sharded = runs.sharded.figures;
  const views = runs.views.figures;
  const oneCeiling = results.figure(
    "scaleout.one.ceilingAlone",
    singleDoctorCeiling(one),
    "demands/s",
    "one doctor with the machine to itself and the brokers: its ceiling, or a core for its thread",
  );
  const checks = [
    results.check(
      "three doctors sharing 12 partitions / one doctor (apply rate)",
      sharded.rate / one.rate,
      { atLeast: 2 },
    ),
    results.check(
      "three doctors each with its own group / one doctor (demands applied a second, all three)",
      views.rate / one.rate,
    ),
    results.check("machine's busy share during one doctor's run", one.machineBusyCores / cores),
    results.check(
      "machine's busy share during three sharded doctors' run",
      sharded.machineBusyCores / cores,
    ),
    results.check(
      "sharded doctors' ceiling (every core) / one doctor's measured rate",
      sharded.ceiling / one.rate,
    ),
    results.check(
      "sharded doctors' ceiling / one doctor's ceiling (the best ratio this machine allows)",
      sharded.ceiling / oneCeiling,
    ),
  ];
  for (const c of checks) console.log(`  ${describeCheck(c)}`);
  const ratio = sharded.rate / one.rate;
  const best = sharded.ceiling / oneCeiling;
  const busy = (f: typeof one) => `${(f.machineBusyCores / cores * 100).toFixed(0)} %`;
  const verdict = ratio >= 2
    ? `three sharded doctors applied ${ratio.toFixed(2)}× one doctor's rate`
    : `three sharded doctors applied ${ratio.toFixed(2)}× one doctor's rate. The machine was ` +
      `${busy(one)} busy during one doctor's run (load ${
        runs.one.loadAverage.after[0].toFixed(1)
      }; ` +
      `its doctor and brokers ${one.measuredCores.toFixed(2)} of the ${cores} cores) and ` +
      `${busy(sharded)} during the sharded run (theirs ${sharded.measuredCores.toFixed(2)}). ` +
      `At the CPU they spent per demand, every core would allow one doctor ${fmt(oneCeiling)} ` +
      `demands/s and three sharded ${fmt(sharded.ceiling)}: ` +
      (best < 2
        ? `at best ${best.toFixed(2)}×, so 2× is out of reach on ${cores} cores`
        : `up to ${best.toFixed(2)}×, so the machine's other work, not its size, kept it under 2×`);
  results.data.notes["scaleout.verdict"] = verdict;
  console.log(`  ${verdict}`);
}
