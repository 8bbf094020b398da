import assert from "node:assert/strict";
import { CLUSTER_LANE, inClusterLane, STARTS_A_CLUSTER, UNIT_LANE } from "./test_lanes.ts";

async function testFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await testFiles(path));
    else if (entry.name.endsWith("_test.ts")) found.push(path);
  }
  return found;
}

Deno.test("test lanes - every test file that starts a cluster of its own is in the cluster lane", async () => {
  const files = await testFiles("tests");
  const starting = [];
  for (const file of files) {
    if (STARTS_A_CLUSTER.test(await Deno.readTextFile(file))) starting.push(file);
  }
  assert.ok(starting.length >= 8, `found ${starting.length}: the pattern still matches`);
  assert.deepEqual(starting.filter((f) => !inClusterLane(f)), []);
  for (const path of CLUSTER_LANE) {
    await Deno.stat(path.replace(/\/$/, "")).catch(() => assert.fail(`${path} does not exist`));
  }
});

Deno.test("test lanes - a folder covers what is under it, a file only itself", () => {
  assert.equal(inClusterLane("tests/chaos/campaign/x_test.ts"), true);
  assert.equal(inClusterLane("tests/chaos_test.ts"), false);
  assert.equal(inClusterLane("tests/local_cluster_test.ts"), true);
  assert.equal(inClusterLane("tests/local_cluster_test.tsx"), false);
});

Deno.test("test lanes - the unit lane is test:quick's folders, and none of its tests starts a cluster", async () => {
  const quick = JSON.parse(await Deno.readTextFile("deno.json")).tasks["test:quick"] as string;
  assert.deepEqual(quick.split(" ").filter((a) => a.endsWith("/")), UNIT_LANE);
  for (const dir of UNIT_LANE) {
    for (const file of await testFiles(dir.replace(/\/$/, ""))) {
      assert.ok(!STARTS_A_CLUSTER.test(await Deno.readTextFile(file)), file);
    }
  }
});

Deno.test("test lanes - a test cluster on 127.0.0.1 listens below the ephemeral ports (32768 on), controllers included", async () => {
  // Every loopback client's source address is 127.0.0.1: a fixed port there in the ephemeral
  // range can be held by an outgoing connection of a test running beside it.
  let checked = 0;
  for (const file of await testFiles("tests")) {
    const source = await Deno.readTextFile(file);
    if (!/firstHost: "127\.0\.0\.1"/.test(source)) continue;
    const base = Number(source.match(/const BASE_PORT = (\d+);/)?.[1]);
    assert.ok(Number.isInteger(base), `${file}: a BASE_PORT constant`);
    assert.ok(base + 20_000 < 32_768, `${file}: BASE_PORT ${base}, controller ${base + 20_000}`);
    checked++;
  }
  assert.ok(checked >= 1, "the passwords test starts its cluster on 127.0.0.1");
});
