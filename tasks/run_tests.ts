/**
 * `deno task test`: makes sure a broker is there (the configured cluster,
 * the running local one, or a local one started for the run and stopped
 * after it), provisions topics and ACLs, runs `deno test` with explicit
 * permissions, and ends with the line `N passed, N failed`.
 *
 * Extra arguments go to `deno test` (e.g. a file or `--filter`). Without
 * any, the suite runs in lanes (tasks/test_lanes.ts): the unit tests, in
 * parallel while the broker starts (lines marked `[units]`), then two at
 * once: the tests that start clusters of their own, one after the other
 * (`[clusters]`), and the rest.
 *
 * Tests of Schema Registry formats (files named `*schema*`) need a
 * registry: unless `SCHEMA_REGISTRY_URL` names one, a local one
 * (registry/local_registry.ts) is started once for the run, on a free
 * loopback port, and stopped after it.
 */
import { ensureBroker } from "../kafka/ensure.ts";
import { runMain } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { launchCommand } from "./launch.ts";
import { parseFailures, parseTestSummary } from "./test_summary.ts";
import { laneArgs, unitArgs } from "./test_lanes.ts";
import { testPermissionFlags } from "./test_permissions.ts";
import { type LocalRegistry, startLocalRegistry } from "../registry/local_registry.ts";
import { ROOT } from "../kafka/ensure.ts";

const log = createLogger("test");

await runMain(async () => {
  const started = Date.now();
  // The unit tests need no broker: they run while it starts.
  const units = Deno.args.length > 0 ? undefined : timedLane("units", unitArgs(), {}, "[units] ");
  const cluster = await ensureBroker().catch(async (error) => {
    await units;
    throw error;
  });
  const lanes = Deno.args.length > 0 ? { all: Deno.args } : laneArgs();
  const args = Object.values(lanes).flat();
  let registry: LocalRegistry | undefined;
  let code = 1;
  let runs: LaneRun[] = [];
  try {
    const env: Record<string, string> = {};
    if (!Deno.env.get("SCHEMA_REGISTRY_URL") && args.some((a) => a === "." || /schema/.test(a))) {
      log.info("starting a local Schema Registry for the tests");
      registry = await startLocalRegistry({
        root: ROOT,
        port: 0,
        javaHome: Deno.env.get("JAVA_HOME"),
      });
      env.SCHEMA_REGISTRY_URL = registry.url;
    }
    // Topics and ACLs, applied as `deno task topics` would (the same grant).
    const topics = await launchCommand("topics", []);
    const provisioned = await new Deno.Command("deno", {
      args: topics.args,
      env: topics.env,
      stdin: "null",
    }).spawn().status;
    if (!provisioned.success) throw new Error("provisioning topics and ACLs failed; see above");
    const tmp = Deno.env.get("TMPDIR") || "/tmp";
    const flags = testPermissionFlags(tmp, topics.brokers);
    log.info("set-up done; running the tests", {
      seconds: Math.round((Date.now() - started) / 1000),
    });
    runs = await Promise.all([
      ...Object.entries(lanes).map(([lane, laneArgs]) =>
        timedLane(lane, [...flags, ...laneArgs], env, lane === "clusters" ? "[clusters] " : "")
      ),
      ...(units ? [units] : []),
    ]);
    code = runs.find((r) => r.code !== 0)?.code ?? 0;
  } finally {
    await units; // a set-up failure leaves it running
    await registry?.stop();
    if (cluster) {
      log.info("stopping the local broker started for the tests");
      await cluster.stop();
    }
  }
  log.info("test run finished", { seconds: Math.round((Date.now() - started) / 1000) });
  // A lane that printed no summary (it died, or never ran) counts as one failure.
  const totals = runs.map((run) => parseTestSummary(run.output));
  const passed = totals.reduce((n, t) => n + (t?.passed ?? 0), 0);
  const failed = totals.reduce((n, t) => n + (t ? t.failed : 1), 0) || (runs.length ? 0 : 1);
  // CI keeps the end of the log: what failed, again, just above the closing line.
  runs.forEach((run, i) => {
    if (!totals[i]) console.log(`[${run.lane}] printed no summary (exit code ${run.code})`);
    for (const failure of parseFailures(run.output)) {
      console.log(`[${run.lane}] FAILED ${failure.test}`);
      for (const line of failure.error) console.log(`[${run.lane}]     ${line}`);
    }
  });
  console.log(`${passed} passed, ${failed} failed`);
  Deno.exit(code === 0 && failed > 0 ? 1 : code);
});

/** One lane's `deno test`: its name, exit code and output. */
interface LaneRun {
  lane: string;
  code: number;
  output: string;
}

/** `runDenoTest`, and a line saying how long the lane took. */
async function timedLane(
  lane: string,
  args: string[],
  env: Record<string, string>,
  mark: string,
): Promise<LaneRun> {
  const laneStarted = Date.now();
  const run = await runDenoTest(args, env, mark);
  log.info("lane finished", { lane, seconds: Math.round((Date.now() - laneStarted) / 1000) });
  return { lane, ...run };
}

/**
 * Runs `deno test` with `args`, printing its output line by line (each
 * line after `mark`); resolves with its exit code and its output.
 */
async function runDenoTest(
  args: string[],
  env: Record<string, string>,
  mark: string,
): Promise<{ code: number; output: string }> {
  const child = new Deno.Command("deno", {
    args: ["test", ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const encoder = new TextEncoder();
  let output = "";
  let pending = "";
  const print = async (lines: string) => {
    const text = mark ? lines.replace(/^(?=.)/gm, mark) : lines;
    await Deno.stdout.write(encoder.encode(text));
  };
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
    output += text;
    pending += text;
    const end = pending.lastIndexOf("\n") + 1;
    if (end > 0) {
      await print(pending.slice(0, end));
      pending = pending.slice(end);
    }
  }
  if (pending) await print(`${pending}\n`);
  return { code: (await child.status).code, output };
}
