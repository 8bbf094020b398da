/**
 * deno.json's tasks and permission sets, computed from the code: every
 * task is a short line naming a permission set (`deno run -q -P=<set>`;
 * `-q` keeps Deno's "permissions in the config file are experimental"
 * warning out of the output), and each set's variables are the ones the
 * programs it runs read — the kernel's, the launcher's and the services'
 * (from the root list, freshet.ts). The launcher's programs each get a task
 * (`consumer:<task>`, `produce:<x>`) running tasks/launch.ts, which
 * computes their grant at start (brokers discovered, data folders).
 *
 *   deno task sync      # rewrites deno.json's tasks and permissions from this file
 *   deno task print X   # the full command of task X, its permission set spelled out
 *
 * tasks/tasks_test.ts fails when deno.json differs from what this computes.
 */
import { PRINCIPALS } from "../freshet.ts";
import { localBrokerEnvNames } from "../kafka/ensure.ts";
import { compressionEnvName, kafkaEnvNames, KAFKAJS_ENV_NAMES } from "../shared/kafka/config.ts";
import { LAUNCHER_ENV, programs, serverEnvNames } from "./programs.ts";

/** A permission set of deno.json (Deno's `permissions` schema; paths relative to deno.json). */
export interface PermissionSet {
  read?: string[] | boolean;
  write?: string[] | boolean;
  net?: string[] | boolean;
  env?: string[] | boolean;
  run?: string[] | boolean;
  sys?: string[] | boolean;
}

const unique = (...lists: readonly (readonly string[])[]) => [...new Set(lists.flat())];

/** Every principal's compression variable, and the shared one. */
function everyCompression(): string[] {
  return ["KAFKA_COMPRESSION", ...PRINCIPALS.map(compressionEnvName)];
}

/**
 * What `dev`, `test` and `chaos` read: the local broker's (every
 * principal's password, JAVA_HOME), the admin principal's (provisioning,
 * the broker check), the launcher's (they start programs through it) and
 * every principal's compression.
 */
function localEnv(): string[] {
  return unique(
    localBrokerEnvNames(),
    kafkaEnvNames("admin"),
    LAUNCHER_ENV,
    everyCompression(),
    ["TMPDIR"],
  );
}

/** Loopback addresses of the local clusters (`--brokers N`: 127.0.0.2 and up). */
const LOOPBACKS = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 1}`);

/** The permission sets, by name. */
export function permissionSets(): Record<string, PermissionSet> {
  const local = {
    read: ["."],
    write: [".cache", "data"],
    net: ["127.0.0.1"],
    run: ["mvn", "java", "keytool", "sh", "deno"],
  };
  const bench = {
    read: [".", "/tmp"],
    write: [".cache", "data", "/tmp", "bench/results"],
    // 127.0.0.71–73: the scale-out section's own 3-node cluster (bench/scaleout_cluster.ts).
    net: ["127.0.0.1", "127.0.0.71", "127.0.0.72", "127.0.0.73"],
    run: ["mvn", "java", "keytool", "sh", "git", "deno"],
    env: unique(localEnv(), serverEnvNames()),
  };
  return {
    // The launcher: reads its settings, starts `deno` with the program's computed grant.
    launcher: { read: ["."], run: ["deno"], env: [...LAUNCHER_ENV] },
    // dev, test and chaos: a local broker if none, provisioning, the launcher's programs.
    local: { ...local, env: localEnv() },
    // The local broker (or a cluster of up to 10 nodes) in the foreground.
    kafka: {
      read: ["."],
      write: [".cache", "data"],
      net: LOOPBACKS,
      run: ["mvn", "java", "keytool", "sh"],
      env: unique(localBrokerEnvNames(), kafkaEnvNames("admin"), everyCompression(), [
        "LOG_LEVEL",
        "TMPDIR",
      ]),
    },
    // The fault campaign: its own 3-node cluster (127.0.0.31–33) behind fault proxies (.34–.36),
    // Freshet's consumers as processes it starts with their own grants; /proc for their RSS.
    campaign: {
      read: [".", "/tmp", "/proc"],
      write: [".cache", "data", "/tmp"],
      net: Array.from({ length: 9 }, (_, i) => `127.0.0.${i + 31}`),
      run: ["deno", "java", "mvn", "keytool", "sh"],
      env: unique(localBrokerEnvNames(), kafkaEnvNames("admin"), ["LOG_LEVEL", "TMPDIR"]),
    },
    // Kafka's own tools as any principal.
    "kafka-cli": {
      read: ["."],
      write: [".cache", "/tmp"],
      net: ["127.0.0.1:9092"],
      run: ["java", "mvn", "deno"],
      env: unique(...PRINCIPALS.map((p) => kafkaEnvNames(p)), ["JAVA_HOME", "LOG_LEVEL"]),
    },
    // The benchmarks start the broker, the server and consumers in process.
    bench: { ...bench, sys: ["osRelease", "systemMemoryInfo", "loadavg"] },
    "bench-profile": { ...bench, sys: true },
    "bench-summary": { read: ["bench/results"] },
    contracts: {
      read: ["."],
      write: ["docs/contracts.md"],
      env: unique(KAFKAJS_ENV_NAMES, ["LOG_LEVEL"]),
    },
    registry: {
      read: ["."],
      write: [".cache"],
      net: ["127.0.0.1"],
      run: ["mvn", "java"],
      env: ["JAVA_HOME", "LOG_LEVEL"],
    },
    // Unit tests beside the code: no broker; loopback for the tests' own sockets,
    // openssl and keytool for the TLS fixtures, deno for the import graph and the
    // Worker tests; the variables as the full suite grants them (tasks/test_permissions.ts).
    quick: {
      read: [".", "/tmp"],
      write: ["/tmp"],
      net: ["127.0.0.1"],
      run: ["deno", "openssl", "keytool"],
      env: true,
    },
    // The import graph: deno info over every module, from a file in /tmp.
    graph: { read: ["."], write: ["/tmp"], run: ["deno"] },
    // deno task sync: reads the code, writes deno.json.
    sync: { read: ["."], write: ["deno.json"], env: [...LAUNCHER_ENV] },
  };
}

/** `deno run` of `entry` with permission set `set`. */
const run = (set: string, entry: string) => `deno run -q -P=${set} ${entry}`;

/** The tasks, by name: the static ones, then one per launched program. */
export function tasks(): Record<string, string> {
  const launched = Object.fromEntries(
    programs({}).map((p) => [p.name, run("launcher", `tasks/launch.ts ${p.name}`)]),
  );
  return {
    dev: run("local", "tasks/dev.ts"),
    test: run("local", "tasks/run_tests.ts"),
    "test:quick": "deno test -q -P=quick --parallel shared/ services/ tasks/ kafka/ tour/ bench/",
    ok: "deno fmt --check && deno lint && deno check . && deno task test",
    kafka: run("kafka", "kafka/main.ts"),
    chaos: `FRESHET_CHAOS=full ${run("local", "tasks/run_tests.ts tests/chaos/")}`,
    "chaos:campaign": run("campaign", "tests/chaos/campaign/main.ts"),
    "kafka:cli": run("kafka-cli", "kafka/cli.ts"),
    registry: run("registry", "registry/main.ts"),
    bench: run("bench", "bench/main.ts"),
    "bench:profile": run("bench-profile", "bench/main.ts --profile"),
    "bench:summary": run("bench-summary", "bench/summary.ts"),
    "bench:doctor-rounds": run("bench", "bench/doctor_rounds.ts"),
    contracts: run("contracts", "tasks/contracts.ts"),
    graph: run("graph", "tasks/import_graph.ts"),
    sync: run("sync", "tasks/deno_json.ts --write"),
    print: run("launcher", "tasks/print_task.ts"),
    ...launched,
  };
}

/** `config` (deno.json's content) with its tasks and permission sets as computed here. */
export function syncedConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { tasks: _tasks, permissions: _permissions, ...rest } = config;
  const out: Record<string, unknown> = {};
  // Keep deno.json's own order: everything up to "tasks", then permissions and tasks, then the rest.
  for (const [key, value] of Object.entries(rest)) {
    if (key === "fmt") {
      out.permissions = permissionSets();
      out.tasks = tasks();
    }
    out[key] = value;
  }
  out.permissions ??= permissionSets();
  out.tasks ??= tasks();
  return out;
}

if (import.meta.main) {
  const path = new URL("../deno.json", import.meta.url);
  const current = JSON.parse(await Deno.readTextFile(path));
  const synced = syncedConfig(current);
  if (Deno.args.includes("--write")) {
    await Deno.writeTextFile(path, JSON.stringify(synced, null, 2) + "\n");
    console.log("deno.json: tasks and permission sets written from tasks/deno_json.ts");
  } else if (JSON.stringify(current) !== JSON.stringify(synced)) {
    console.error("deno.json is out of date: run `deno task sync`");
    Deno.exit(1);
  }
}
