/**
 * The lanes of `deno task test`: the unit tests first (see UNIT_LANE), then
 * two at once: the tests that start clusters of their
 * own on fixed loopback addresses (127.0.0.2–9, .31–39, .51–53, .61–63),
 * one after the other because several share an address, and every other
 * test, on the shared broker, run beside them. The cluster lane mostly
 * waits (brokers booting, faults taking effect), so the two together take
 * about as long as the longer one instead of their sum. A file that starts
 * a cluster must be in the cluster lane (test_lanes_test.ts checks it).
 * Two long tests of the shared broker that mostly wait (a webhook's
 * deliveries, a relay's faults) run in the cluster lane too, to even the
 * lanes: the shared one ran 915 s, the cluster one 760.
 */

/** Paths (files, or folders ending in `/`) of the cluster lane. */
export const CLUSTER_LANE = [
  "tests/chaos/",
  "tests/alerts_cluster_test.ts",
  "tests/console_cluster_test.ts",
  "tests/local_cluster_test.ts",
  "tests/local_cluster_kill_test.ts",
  "tests/local_cluster_passwords_test.ts",
  // The shared broker's, to even the lanes (about 35 s each, mostly waiting).
  "tests/alerts_test.ts",
  "tests/outbox_faults_test.ts",
];

/**
 * Folders of unit tests (beside the code they test; no broker): they run
 * first, with `--parallel`, while the broker starts — `deno test` loads each
 * file's module graph in an isolate of its own (~1 s a file on a loaded
 * machine), which in the shared lane cost more than the tests themselves.
 * The same folders as `deno task test:quick`.
 */
export const UNIT_LANE = ["shared/", "services/", "tasks/", "kafka/", "tour/", "bench/"];

/** `deno test` arguments of the unit lane (the `quick` permission set, as test:quick). */
export function unitArgs(): string[] {
  return ["-P=quick", "--parallel", ...UNIT_LANE];
}

/** What in a test file's source starts a cluster of its own. */
export const STARTS_A_CLUSTER = /\b(spawnLocalCluster|startProxiedNode|startProxiedCluster)\(/;

/** Whether `path` (relative to the project) is in the cluster lane. */
export function inClusterLane(path: string): boolean {
  return CLUSTER_LANE.some((p) => p.endsWith("/") ? path.startsWith(p) : path === p);
}

/** `deno test` arguments of each lane that needs the broker. */
export function laneArgs(): { clusters: string[]; shared: string[] } {
  return {
    clusters: CLUSTER_LANE,
    shared: [`--ignore=${[...CLUSTER_LANE, ...UNIT_LANE].join(",")}`, "."],
  };
}
