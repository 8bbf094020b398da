/**
 * Runs a local cluster in a child process for a test (fixtures/local_cluster_main.ts):
 * its own data folder and ports, its own passwords, killed with the test.
 */
import { lineReader } from "./line_reader.ts";
import { PRINCIPALS } from "../freshet.ts";
import { TEST_HOSTS } from "../tasks/test_permissions.ts";

/** A local cluster running in a child process. */
export interface ClusterProcess {
  child: Deno.ChildProcess;
  /** Waits for a line of the process starting with `prefix`; returns it. */
  readLine(prefix: string, timeoutMs: number): Promise<string>;
  /**
   * Sends a command line (`stop <node id>`, `kill <node id>`, `start <node id>`,
   * `pause <node id>` (SIGSTOP), `resume <node id>` (SIGCONT)).
   */
  send(line: string): Promise<void>;
  /** Asks for a graceful stop (closes stdin) and waits for the exit. */
  stop(): Promise<void>;
  /**
   * SIGKILLs every broker and waits for them to be gone (their ports free
   * for the next test on the same addresses), then the process itself if
   * it did not exit; releases the pipes.
   */
  kill(): Promise<void>;
}

/** How long `kill` lets the cluster process SIGKILL its brokers before it SIGKILLs the process. */
const KILL_WAIT_MS = 15_000;

/** Every principal's local default password, `<name>-secret`. */
export function defaultPasswords(): Record<string, string> {
  return Object.fromEntries(PRINCIPALS.map((p) => [p, `${p}-secret`]));
}

/**
 * Starts `brokers` nodes on `firstHost` and the addresses after it (all on
 * `basePort`), with data in `dataDir`.
 */
export function spawnLocalCluster(
  options: {
    dataDir: string;
    basePort: number;
    brokers: number;
    firstHost: string;
    passwords?: Record<string, string>;
    /** `host:port` each node advertises instead of its own, by node id (a fault proxy). */
    advertised?: Record<number, string>;
  },
): ClusterProcess {
  const script = new URL("./fixtures/local_cluster_main.ts", import.meta.url).pathname;
  const root = new URL("..", import.meta.url).pathname;
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--allow-run=mvn,java,keytool,sh",
      `--allow-read=${root},${options.dataDir}`,
      `--allow-write=${root}.cache,${options.dataDir}`,
      `--allow-net=${TEST_HOSTS.join(",")}`,
      "--allow-env=NODE_ENV,KAFKAJS_LOG_LEVEL,KAFKAJS_NO_PARTITIONER_WARNING,KAFKAJS_DEBUG_PROTOCOL_BUFFERS,KAFKAJS_DEBUG_EXTENDED_PROTOCOL_BUFFERS,LOG_LEVEL",
      script,
      options.dataDir,
      String(options.basePort),
      String(options.brokers),
      options.firstHost,
      JSON.stringify(options.passwords ?? defaultPasswords()),
      JSON.stringify(options.advertised ?? {}),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const lines = lineReader(reader, "the cluster process");
  const stdin = child.stdin.getWriter();
  let exited = false;
  child.status.then(() => (exited = true));
  return {
    child,
    readLine: (prefix, timeoutMs) => lines.readLine(prefix, timeoutMs),
    async send(line) {
      await stdin.write(new TextEncoder().encode(`${line}\n`));
    },
    async stop() {
      await stdin.close().catch(() => {});
      await child.status;
    },
    async kill() {
      if (!exited) {
        await stdin.write(new TextEncoder().encode("killall\n")).catch(() => {});
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          child.status,
          new Promise((r) => (timer = setTimeout(r, KILL_WAIT_MS))),
        ]).finally(() => clearTimeout(timer));
      }
      if (!exited) child.kill("SIGKILL");
      await child.status.catch(() => {});
      await stdin.close().catch(() => {});
      await reader.cancel().catch(() => {});
    },
  };
}
