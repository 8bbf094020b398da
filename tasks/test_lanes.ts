/**
 * The two lanes of `deno task test`: the tests that start clusters of their
 * own on fixed loopback addresses (127.0.0.2–9, .31–39, .51–53, .61–63),
 * one after the other because several share an address, and every other
 * test, on the shared broker, run beside them. The cluster lane mostly
 * waits (brokers booting, faults taking effect), so the two together take
 * about as long as the longer one instead of their sum. A file that starts
 * a cluster must be in the cluster lane (test_lanes_test.ts checks it).
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

/** `deno test` arguments of each lane. */
export function laneArgs(): { clusters: string[]; shared: string[] } {
  return { clusters: CLUSTER_LANE, shared: [`--ignore=${CLUSTER_LANE.join(",")}`, "."] };
}
