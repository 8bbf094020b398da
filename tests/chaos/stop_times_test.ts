/**
 * How long SIGTERM takes to end each program, with the broker up and with
 * it down (killed while they run), on a one-node cluster of its own
 * (127.0.0.37:39792): the server (`deno task start`, every consumer as a
 * Worker), each consumer process (the doctor, orders with its outbox
 * relay, payments, balances, the monitor). Every stop ends within its
 * deadline with exit code 0 (docs/scaling.md has the table).
 */
import assert from "node:assert/strict";
import { launch, type Launched } from "../launched.ts";
import { spawnLocalCluster } from "../local_cluster_helpers.ts";
import { signalIfRunning } from "../helpers.ts";

const NODE = "127.0.0.37";
const PORT = 39792;

/** Program, how `deno task` names it, what it prints once running, its stop deadline. */
const PROGRAMS = [
  { name: "server (start)", task: "start", ready: /Freshet is running at/, deadlineMs: 30_000 },
  { name: "doctor", task: "consumer:doctor", ready: /\] consuming /, deadlineMs: 25_000 },
  {
    name: "orders (and its outbox relay)",
    task: "consumer:orders",
    ready: /\] consuming /,
    deadlineMs: 25_000,
  },
  { name: "payments", task: "consumer:payments", ready: /\] consuming /, deadlineMs: 25_000 },
  { name: "balances", task: "consumer:balances", ready: /\] consuming /, deadlineMs: 25_000 },
  { name: "monitor", task: "consumer:monitor", ready: /\] monitoring /, deadlineMs: 25_000 },
];

Deno.test("chaos - SIGTERM ends every program within its deadline, broker up or down", async () => {
  const clusterDir = await Deno.makeTempDir({ prefix: "freshet-stop-cluster-" });
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-stop-data-" });
  const cluster = spawnLocalCluster({
    dataDir: clusterDir,
    basePort: PORT,
    brokers: 1,
    firstHost: NODE,
  });
  const env = {
    KAFKA_BROKERS: `${NODE}:${PORT}`,
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "info",
  };
  const running: Launched[] = [];
  const results: string[] = [];
  try {
    await cluster.readLine("READY ", 180_000);
    const topics = await launch("topics", { env });
    assert.equal((await topics.status).code, 0, topics.output());

    /** Starts one program in its own data folder; resolves once it runs. */
    const start = async (program: typeof PROGRAMS[number], i: number, round: string) => {
      const launched = await launch(program.task, {
        env: { ...env, DATA_DIR: `${dataDir}/${round}-${i}` },
      });
      running.push(launched);
      await launched.waitForOutput(program.ready, 120_000);
      return launched;
    };
    const stopAll = async (launched: Launched[], round: string) => {
      const times = await Promise.all(launched.map(async (l, i) => {
        const started = Date.now();
        signalIfRunning(l.child, "SIGTERM");
        const status = await l.status;
        return { program: PROGRAMS[i], ms: Date.now() - started, code: status.code, l };
      }));
      for (const { program, ms, code, l } of times) {
        results.push(`CHAOS stop ${round}: ${program.name} ${ms} ms, exit ${code}`);
        assert.equal(code, 0, `${program.name} (${round}):\n${l.output().slice(-2_000)}`);
        assert.ok(ms <= program.deadlineMs, `${program.name} (${round}) took ${ms} ms`);
        assert.doesNotMatch(l.output(), /Uncaught/, `${program.name} (${round})`);
      }
    };

    const up: Launched[] = [];
    for (const [i, program] of PROGRAMS.entries()) up.push(await start(program, i, "up"));
    await new Promise((r) => setTimeout(r, 3_000));
    await stopAll(up, "broker up");

    const down: Launched[] = [];
    for (const [i, program] of PROGRAMS.entries()) down.push(await start(program, i, "down"));
    await new Promise((r) => setTimeout(r, 3_000));
    await cluster.send("kill 1");
    await cluster.readLine("KILLED 1", 60_000);
    await new Promise((r) => setTimeout(r, 5_000)); // the clients find it gone
    await stopAll(down, "broker down");
  } finally {
    for (const line of results) console.log(line);
    for (const l of running) await l.stop(1_000);
    await cluster.kill();
    await Deno.remove(clusterDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
