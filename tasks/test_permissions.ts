/** What `deno task test` grants the tests (tasks/run_tests.ts). */

/** Data folder of the bus-bridge test; its socket is the one Unix socket tests may use. */
export const TEST_BRIDGE_DIR = "data/test-bridge";

/**
 * Loopback addresses the tests may use: the local broker on 127.0.0.1, the
 * clusters fault tests start on 127.0.0.2 and up, the proxied clusters of
 * the fault campaign on 127.0.0.31–39, the cluster overview's 3-node
 * cluster on 127.0.0.51–53 (tests/console_cluster_test.ts), the alerts'
 * broker-loss test on 127.0.0.61–63, and servers on port 0.
 */
export const TEST_HOSTS = [
  "localhost",
  ...Array.from({ length: 9 }, (_, i) => `127.0.0.${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `127.0.0.${i + 31}`),
  ...Array.from({ length: 3 }, (_, i) => `127.0.0.${i + 51}`),
  ...Array.from({ length: 3 }, (_, i) => `127.0.0.${i + 61}`),
];

/**
 * Permissions of the test run: loopback, the configured cluster's brokers,
 * files of the project and temp folders.
 */
export function testPermissionFlags(tmp: string, brokers: string[] = []): string[] {
  return [
    `--allow-net=${
      [...TEST_HOSTS, ...brokers].join(",")
    },unix:${Deno.cwd()}/${TEST_BRIDGE_DIR}/bus.sock`,
    `--allow-read=.,${tmp}`,
    `--allow-write=./data,${tmp}`,
    "--allow-env",
    // kcat and openssl: the TLS tests (an outside producer; client certificates).
    "--allow-run=deno,/usr/bin/chromium,kcat,openssl",
    "--allow-sys",
  ];
}
