/**
 * The lanes of `deno task test`: the unit tests first (see UNIT_LANE), then
 * three at once: the tests that start clusters of their
 * own on fixed loopback addresses (127.0.0.2–9, .31–39, .51–53, .61–63),
 * one after the other because several share an address, and every other
 * test, on the shared broker, in two `deno test` runs beside them (each
 * file's tests use names of their own, so files may run at once; each run
 * is a process of its own, so the bus's BroadcastChannel is not shared).
 * The cluster lane mostly waits (brokers booting, faults taking effect),
 * so the three together take about as long as the longest one instead of
 * their sum. A file that starts a cluster must be in the cluster lane
 * (test_lanes_test.ts checks it).
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

/**
 * Files under the cluster lane's folders that start no cluster (they kill
 * consumer processes, or a gateway, on the shared broker): they run in the
 * second shared lane instead, which shortens the cluster lane, the longest.
 */
export const SHARED_CHAOS = [
  "tests/chaos/consumer_kill_test.ts",
  "tests/chaos/gateway_outage_test.ts",
  "tests/chaos/payments_kill_test.ts",
  "tests/chaos/payments_zombie_test.ts",
];

/**
 * The second shared lane: about half of the shared broker's test time (the
 * longest files, by a clean-clone run's figures), in a `deno test` of its
 * own beside the first. A file missing here runs in the first.
 */
export const SECOND_SHARED_LANE = [
  ...SHARED_CHAOS,
  "tests/codecs_test.ts",
  "tests/access_matrix_test.ts",
  "tests/browser_live_connections_test.ts",
  "tests/consumer_gaps_test.ts",
  "tests/kafka_cli_test.ts",
  "tests/tls_test.ts",
  "tests/alerts_test.ts",
  "tests/outbox_faults_test.ts",
  "tests/runner_findings_test.ts",
  "tests/console_purge_test.ts",
  "tests/consumer_contract_test.ts",
  "tests/monitor_counts_test.ts",
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
  return !SHARED_CHAOS.includes(path) &&
    CLUSTER_LANE.some((p) => p.endsWith("/") ? path.startsWith(p) : path === p);
}

/** `deno test` arguments of each lane that needs the broker. */
export function laneArgs(): { clusters: string[]; shared: string[]; "shared-b": string[] } {
  return {
    clusters: [`--ignore=${SHARED_CHAOS.join(",")}`, ...CLUSTER_LANE],
    shared: [`--ignore=${[...CLUSTER_LANE, ...UNIT_LANE, ...SECOND_SHARED_LANE].join(",")}`, "."],
    "shared-b": SECOND_SHARED_LANE,
  };
}
