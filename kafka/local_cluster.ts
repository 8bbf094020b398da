/**
 * A real Apache Kafka cluster on loopback, started from the Maven Central
 * jars with Java 17: formats storage on first start (creating every
 * principal's SCRAM user), makes its TLS certificates (tls_certs.ts),
 * brings SCRAM up to date with passwords changed since, waits until the
 * brokers accept logins on both client listeners (SASL_PLAINTEXT on the
 * client port, SASL_SSL on the next one), and stops cleanly. Each java process is guarded by a watchdog shell that stops it
 * when this process dies, even by SIGKILL, so no broker is ever orphaned.
 */
import { ProgramError } from "../shared/core/errors.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { createLogger } from "../shared/core/log.ts";
import {
  clusterLayout,
  log4jProperties,
  type NodeLayout,
  randomClusterId,
  serverProperties,
  tlsPort,
} from "./broker_config.ts";
import { ensureTlsMaterial, keytoolCommand } from "./tls_certs.ts";
import { ensureKafkaJars, javaCommand } from "./jars.ts";
import { recordScramPasswords, syncScramUsers } from "./scram_users.ts";

const log = createLogger("kafka:local");

/** Seconds a broker gets to shut down before it is killed. */
const STOP_GRACE_S = 30;

/** Options of a local cluster. */
export interface LocalClusterOptions {
  /** Project root (holds kafka/pom.xml and .cache/). */
  root: string;
  /** Folder of the cluster's data (default `<root>/data/kafka`, `<root>/data/kafka-N` for N nodes). */
  dataDir?: string;
  /** Number of brokers (default 1). */
  brokers?: number;
  /** Client port of every node (default 9092; SASL_SSL on port + 1, controllers on port + 20000). */
  basePort?: number;
  /** Address of node 1; node i listens on the i-th address after it (default 127.0.0.1, 127.0.0.2 for several). */
  firstHost?: string;
  /** Password of every principal, `admin` included. */
  passwords: Record<string, string>;
  /** Wipe the data before starting (the TLS certificates are kept: clients go on trusting them). */
  fresh?: boolean;
  /** Maximum heap of each broker in MiB (default 1024, 512 for several). */
  heapMb?: number;
  /** `JAVA_HOME`, if set. */
  javaHome?: string;
  /** Milliseconds to wait for logins to work (default 90 s). */
  readyTimeoutMs?: number;
  /** `host:port` each node advertises instead of its own, by node id (a fault proxy in front). */
  advertised?: Record<number, string>;
}

/** A running local cluster. */
export interface LocalCluster {
  /** `host:port` of every broker (SASL_PLAINTEXT). */
  brokers: string[];
  /** `host:port` of every broker's SASL_SSL listener. */
  tlsBrokers: string[];
  /** The PEM file of the CA that signed the brokers' certificates. */
  caFile: string;
  nodes: NodeLayout[];
  /** Folder of the broker logs (server.log, errors.log per node). */
  logDirs: string[];
  /** Resolves when every broker process has exited. */
  exited: Promise<void>;
  /** Stops every broker gracefully (SIGTERM, then SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** Stops one node (by node id), e.g. to test the loss of a broker. */
  stopNode(id: number): Promise<void>;
  /** Kills one node at once (SIGKILL to its java process), as a crash would. */
  killNode(id: number): Promise<void>;
  /** Starts a stopped or killed node again; resolves once it listens. */
  startNode(id: number): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) one node's broker process, as a stalled host would. */
  pauseNode(id: number, paused: boolean): void;
}

/** True if something accepts TCP connections on `host`:`port` (default 127.0.0.1). */
export async function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: host, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function runJava(java: string, libs: string, args: string[], logFile: string): Promise<void> {
  const out = await new Deno.Command(java, {
    args: ["-Xmx256m", "-cp", `${libs}/*`, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  // The storage tool echoes SCRAM salts and keys: keep them out of the console.
  await Deno.writeFile(logFile, new Uint8Array([...out.stdout, ...out.stderr]), { append: true });
  if (!out.success) {
    throw new Error(`java ${args[0]} failed (exit ${out.code}); see ${logFile}`);
  }
}

async function formatNode(
  java: string,
  libs: string,
  node: NodeLayout,
  clusterId: string,
  passwords: Record<string, string>,
): Promise<void> {
  const scram = Object.entries(passwords).flatMap(([name, password]) => [
    "--add-scram",
    `SCRAM-SHA-256=[name=${name},password=${password}]`,
  ]);
  await runJava(
    java,
    libs,
    [
      "kafka.tools.StorageTool",
      "format",
      "-t",
      clusterId,
      "-c",
      `${node.dir}/server.properties`,
      ...scram,
    ],
    `${node.dir}/logs/format.log`,
  );
}

/**
 * java behind a watchdog shell: the shell forwards SIGTERM to java, kills
 * it (SIGKILL) on SIGUSR1, and kills it if the Deno process that started
 * it is gone.
 */
function spawnBroker(
  java: string,
  libs: string,
  node: NodeLayout,
  heapMb: number,
): Deno.ChildProcess {
  const javaArgs = [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${node.dir}/log4j2.properties`,
    `-Dkafka.logs.dir=${node.dir}/logs`,
    "-cp",
    `${libs}/*`,
    "kafka.Kafka",
    `${node.dir}/server.properties`,
  ];
  const script = [
    '"$@" >>"$FRESHET_NODE_DIR/logs/stdout.log" 2>&1 &',
    "child=$!",
    "stopping=0",
    "waited=0",
    "trap 'stopping=1; kill -TERM \"$child\" 2>/dev/null' TERM INT",
    // SIGUSR1: a crash of the broker (tests of broker loss), no shutdown at all.
    "trap 'stopping=1; kill -KILL \"$child\" 2>/dev/null' USR1",
    // SIGUSR2 / SIGHUP: the broker frozen (SIGSTOP) and thawed (SIGCONT), for fault tests.
    "trap 'kill -STOP \"$child\" 2>/dev/null' USR2",
    "trap 'kill -CONT \"$child\" 2>/dev/null' HUP",
    'while kill -0 "$child" 2>/dev/null; do',
    '  if [ "$stopping" = 0 ] && ! kill -0 "$FRESHET_PARENT_PID" 2>/dev/null; then',
    '    stopping=1; kill -TERM "$child" 2>/dev/null',
    "  fi",
    '  if [ "$stopping" = 1 ]; then',
    "    waited=$((waited + 1))",
    '    if [ "$waited" -gt "$FRESHET_GRACE_S" ]; then kill -KILL "$child" 2>/dev/null; fi',
    "  fi",
    "  sleep 1 & wait $!",
    "done",
    'wait "$child"',
  ].join("\n");
  return new Deno.Command("sh", {
    args: ["-c", script, "freshet-kafka", java, ...javaArgs],
    env: {
      FRESHET_PARENT_PID: String(Deno.pid),
      FRESHET_NODE_DIR: node.dir,
      FRESHET_GRACE_S: String(STOP_GRACE_S),
    },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function lastErrors(node: NodeLayout): Promise<string> {
  const text = await Deno.readTextFile(`${node.dir}/logs/errors.log`).catch(() => "");
  const stdout = await Deno.readTextFile(`${node.dir}/logs/stdout.log`).catch(() => "");
  return [...text.split("\n").filter((l) => / (ERROR|FATAL) /.test(l)), ...stdout.split("\n")]
    .filter(Boolean).slice(-8).join("\n");
}

/**
 * Waits until the admin principal can log in and group coordination works.
 * SCRAM by default; PLAIN works as soon as the broker runs, whatever SCRAM
 * still remembers (see scram_users.ts).
 */
export async function waitForLogin(
  brokers: string[],
  password: string,
  options: {
    timeoutMs: number;
    isDead?: () => boolean;
    mechanism?: "scram-sha-256" | "plain";
    /** PEM of the CA to trust: log in over TLS. */
    ca?: string;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (options.isDead?.()) throw new Error("the broker process exited during start-up");
    const [host, portText] = [
      brokers[0].slice(0, brokers[0].lastIndexOf(":")),
      brokers[0].split(":").pop(),
    ];
    if (!(await isListening(Number(portText), host))) {
      lastError = `nothing listens on ${brokers[0]} yet`;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const kafka = createKafka(
      {
        brokers,
        local: true,
        clientId: "freshet-admin-probe",
        sasl: { mechanism: options.mechanism ?? "scram-sha-256", username: "admin", password },
        ssl: options.ca ? { ca: options.ca, rejectUnauthorized: true } : undefined,
      },
      {
        retries: 0,
        connectionTimeoutMs: 2_000,
        quiet: true,
        // A TLS fault is reported with the broker's log, not by stopping this process.
        onTlsFailure: (fault) => (lastError = fault),
      },
    );
    try {
      await withAdmin(kafka, async (admin) => {
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length < brokers.length) {
          throw new Error(`${cluster.brokers.length}/${brokers.length} brokers registered`);
        }
        // Creates __consumer_offsets now rather than on the first consumer's join.
        await admin.describeGroups(["freshet-readiness-probe"]);
      });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`the local broker did not accept logins in time: ${String(lastError)}`);
}

/** Removes everything in `dataDir` but its `tls/` folder. */
async function wipeKeepingTls(dataDir: string): Promise<void> {
  const entries = await Array.fromAsync(Deno.readDir(dataDir)).catch(() => []);
  for (const entry of entries) {
    if (entry.name === "tls") continue;
    await Deno.remove(`${dataDir}/${entry.name}`, { recursive: true });
  }
}

/**
 * Where a local cluster of `count` nodes keeps its data: `data/kafka`, or
 * `data/kafka-N` (its CA in `tls/ca.pem` there: shared/kafka/local_tls.ts
 * names the single broker's).
 */
export function localClusterDataDir(root: string, count: number): string {
  return count === 1 ? `${root}/data/kafka` : `${root}/data/kafka-${count}`;
}

/** Starts the local cluster, formatting its storage on first start. */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const count = options.brokers ?? 1;
  const dataDir = options.dataDir ?? localClusterDataDir(options.root, count);
  const nodes = clusterLayout(dataDir, {
    count,
    basePort: options.basePort ?? 9092,
    firstHost: options.firstHost,
  });
  for (const node of nodes) node.advertised = options.advertised?.[node.id];
  const heapMb = options.heapMb ?? (count > 1 ? 512 : 1024);
  const java = javaCommand(options.javaHome);

  for (const node of nodes) {
    for (const port of [node.clientPort, tlsPort(node), node.controllerPort]) {
      if (await isListening(port, node.host)) {
        throw new ProgramError(
          `${node.host}:${port} is already in use: is another broker running? (stop it or use it)`,
        );
      }
    }
  }
  const libs = await ensureKafkaJars(options.root);
  if (options.fresh) {
    log.info("wiping local Kafka data (--fresh)", { dataDir });
    await wipeKeepingTls(dataDir);
  }

  const clusterIdFile = `${dataDir}/cluster.id`;
  const formatted = await Promise.all(
    nodes.map((n) => exists(`${n.dir}/metadata/meta.properties`)),
  );
  if (formatted.some((f) => f) && !formatted.every((f) => f)) {
    throw new Error(`${dataDir} holds a cluster of another size; start it with --fresh to wipe it`);
  }
  await Deno.mkdir(dataDir, { recursive: true });
  const clusterId = await Deno.readTextFile(clusterIdFile).then(
    (s) => s.trim(),
    () => randomClusterId(),
  );
  await Deno.writeTextFile(clusterIdFile, clusterId);
  const tls = await ensureTlsMaterial({
    dir: `${dataDir}/tls`,
    hosts: nodes.map((n) => n.host),
    keytool: keytoolCommand(options.javaHome),
  });
  if (tls.renewed !== "reused") {
    log.info(
      tls.renewed === "ca"
        ? "made a new CA and broker certificate"
        : "renewed the broker certificate",
      {
        ca: tls.material.caPem,
      },
    );
  }

  for (const node of nodes) {
    await Deno.mkdir(`${node.dir}/logs`, { recursive: true });
    await Deno.writeTextFile(
      `${node.dir}/server.properties`,
      serverProperties(node, nodes, options.passwords, tls.material),
      {
        mode: 0o600,
      },
    );
    await Deno.writeTextFile(`${node.dir}/log4j2.properties`, log4jProperties(`${node.dir}/logs`));
  }
  if (!formatted.every((f) => f)) {
    log.info("formatting KRaft storage and creating the SASL users", { nodes: count, clusterId });
    await Promise.all(nodes.map((n) => formatNode(java, libs, n, clusterId, options.passwords)));
    await recordScramPasswords(dataDir, options.passwords);
  }

  log.info("starting Apache Kafka", {
    brokers: nodes.map((n) => `${n.host}:${n.clientPort}`).join(","),
  });
  const children = nodes.map((n) => spawnBroker(java, libs, n, heapMb));
  let dead = false;
  let stopping = false;
  const allExited = () => Promise.all(children.map((c) => c.status)).then(() => {});
  children.forEach((c) => c.status.then(() => (dead = !stopping)));
  const indexOf = (id: number) => {
    const index = nodes.findIndex((n) => n.id === id);
    if (index < 0) throw new Error(`no node ${id}`);
    return index;
  };

  const cluster: LocalCluster = {
    brokers: nodes.map((n) => n.advertised ?? `${n.host}:${n.clientPort}`),
    tlsBrokers: nodes.map((n) => `${n.host}:${tlsPort(n)}`),
    caFile: tls.material.caPem,
    nodes,
    logDirs: nodes.map((n) => `${n.dir}/logs`),
    get exited() {
      return allExited();
    },
    async stopNode(id) {
      const child = children[indexOf(id)];
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
    async killNode(id) {
      const index = indexOf(id);
      // The watchdog shell SIGKILLs its java on SIGUSR1, then exits.
      try {
        children[index].kill("SIGUSR1");
      } catch { /* already gone */ }
      await children[index].status;
    },
    pauseNode(id, paused) {
      try {
        children[indexOf(id)].kill(paused ? "SIGUSR2" : "SIGHUP");
      } catch { /* gone */ }
    },
    async startNode(id) {
      const index = indexOf(id);
      const node = nodes[index];
      children[index] = spawnBroker(java, libs, node, heapMb);
      for (
        const deadline = Date.now() + 60_000;
        !(await isListening(node.clientPort, node.host));
      ) {
        if (Date.now() > deadline) throw new Error(`node ${id} did not listen within 60 s`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      stopping = true;
      // The watchdog shells escalate to SIGKILL after STOP_GRACE_S.
      for (const child of children) {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
      }
      await allExited();
    },
  };

  try {
    await waitForLogin(cluster.brokers, options.passwords.admin, {
      timeoutMs: options.readyTimeoutMs ?? 90_000,
      isDead: () => dead,
      mechanism: "plain",
    });
    const updated = await syncScramUsers({
      java,
      libs,
      brokers: cluster.brokers,
      dataDir,
      passwords: options.passwords,
    });
    if (updated.length > 0) log.info("SCRAM passwords updated", { principals: updated.join(",") });
    await waitForLogin(cluster.brokers, options.passwords.admin, {
      timeoutMs: 30_000,
      isDead: () => dead,
    });
    await waitForLogin(cluster.tlsBrokers, options.passwords.admin, {
      timeoutMs: 30_000,
      isDead: () => dead,
      ca: await Deno.readTextFile(cluster.caFile),
    });
  } catch (error) {
    const details = (await Promise.all(nodes.map(lastErrors))).join("\n");
    await cluster.stop();
    throw new Error(`${(error as Error).message}\n--- broker log ---\n${details}`);
  }
  log.info("Apache Kafka is ready", {
    brokers: cluster.brokers.join(","),
    tls: cluster.tlsBrokers.join(","),
    logs: cluster.logDirs[0],
  });
  return cluster;
}
