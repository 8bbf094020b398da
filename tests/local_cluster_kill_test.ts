/**
 * A test's cluster leaves its addresses free when it is killed, and the
 * next cluster on the same addresses waits for them instead of failing:
 * the tests that share an address (127.0.0.37: the proxied cluster, the
 * stop-time test) run one after the other. Found in CI: a cluster killed
 * by SIGKILL to its starter kept its broker for seconds, and the next
 * one ended at once ("already in use").
 */
import assert from "node:assert/strict";
import { isListening } from "../kafka/local_cluster.ts";
import { spawnLocalCluster } from "./local_cluster_helpers.ts";

const HOST = "127.0.0.9";
const PORT = 39992;

Deno.test("local cluster - killed, its ports are free at once; the next on its addresses waits for them", async () => {
  const dirs = [
    await Deno.makeTempDir({ prefix: "freshet-kill-a-" }),
    await Deno.makeTempDir({ prefix: "freshet-kill-b-" }),
  ];
  const start = (dataDir: string) =>
    spawnLocalCluster({ dataDir, basePort: PORT, brokers: 1, firstHost: HOST });
  const first = start(dirs[0]);
  let second: ReturnType<typeof start> | undefined;
  try {
    assert.equal(await first.readLine("READY ", 150_000), `READY ${HOST}:${PORT}`);
    // Started while the first holds the ports: it waits for them.
    second = start(dirs[1]);
    await new Promise((r) => setTimeout(r, 1_000));
    await first.kill();
    const held = [];
    for (const port of [PORT, PORT + 1, PORT + 20_000]) {
      if (await isListening(port, HOST)) held.push(port);
    }
    assert.deepEqual(held, [], "no port of the killed cluster is still held");
    assert.equal(await second.readLine("READY ", 150_000), `READY ${HOST}:${PORT}`);
  } finally {
    await first.kill();
    await second?.kill();
    for (const dir of dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
