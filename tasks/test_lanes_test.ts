import assert from "node:assert/strict";
import {
  CLUSTER_LANE,
  inClusterLane,
  laneArgs,
  STARTS_A_CLUSTER,
  testFilesUnder,
} from "./test_lanes.ts";

Deno.test("test lanes - every test file that starts a cluster of its own is in the cluster lane", async () => {
  const files = await testFilesUnder("tests");
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

Deno.test("test lanes - every test file runs in exactly one lane", async () => {
  const files = await testFilesUnder("tests");
  const lanes = laneArgs(files);
  const ignored = lanes.shared[0].replace("--ignore=", "").split(",");
  assert.deepEqual(lanes.shared.slice(1), ["."]);
  for (const file of files) {
    const inClusters = inClusterLane(file);
    const inSecond = lanes["shared-2"].includes(file);
    const inFirst = !ignored.some((p) => p.endsWith("/") ? file.startsWith(p) : file === p);
    assert.equal([inClusters, inSecond, inFirst].filter(Boolean).length, 1, file);
  }
  assert.ok(lanes["shared-2"].length > 20, "the second shared lane has its half");
});
