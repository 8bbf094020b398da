/**
 * The lanes of `deno task test`, run at the same time: the tests that start
 * clusters of their own on fixed loopback addresses (127.0.0.2–9, .31–39,
 * .51–53, .61–63), one after the other because several share an address;
 * and the tests on the shared broker (random names) in two lanes split by
 * file name, about even in time. The lanes mostly wait (brokers booting,
 * rebalances, faults taking effect), so together they take about as long as
 * the longest instead of their sum. A file that starts a cluster must be in
 * the cluster lane (test_lanes_test.ts checks it).
 */

/** Paths (files, or folders ending in `/`) of the cluster lane. */
export const CLUSTER_LANE = [
  "tests/chaos/",
  "tests/alerts_cluster_test.ts",
  "tests/console_cluster_test.ts",
  "tests/local_cluster_test.ts",
  "tests/local_cluster_kill_test.ts",
  "tests/local_cluster_passwords_test.ts",
];

/** What in a test file's source starts a cluster of its own. */
export const STARTS_A_CLUSTER = /\b(spawnLocalCluster|startProxiedNode|startProxiedCluster)\(/;

/** Whether `path` (relative to the project) is in the cluster lane. */
export function inClusterLane(path: string): boolean {
  return CLUSTER_LANE.some((p) => p.endsWith("/") ? path.startsWith(p) : path === p);
}

/** Test files of `tests/` named from this on run in the second shared lane. */
export const SECOND_SHARED_FROM = "tests/consumer";

/**
 * `deno test` arguments of each lane, given the project's test files
 * (paths relative to it): the cluster lane, the second shared lane (the
 * files of `tests/` from `SECOND_SHARED_FROM` on), and the first (the rest).
 */
export function laneArgs(testFiles: string[]): Record<string, string[]> {
  const second = testFiles
    .filter((f) => /^tests\/[^/]+_test\.tsx?$/.test(f) && f >= SECOND_SHARED_FROM)
    .filter((f) => !inClusterLane(f))
    .sort();
  return {
    clusters: CLUSTER_LANE,
    shared: [`--ignore=${[...CLUSTER_LANE, ...second].join(",")}`, "."],
    "shared-2": second,
  };
}

/** The test files under `dir` (relative paths), for `laneArgs`. */
export async function testFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await testFilesUnder(path));
    else if (/_test\.tsx?$/.test(entry.name)) found.push(path);
  }
  return found;
}
