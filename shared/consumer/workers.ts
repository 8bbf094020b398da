/**
 * Consumers as Workers of the web server, each with narrowed permissions:
 * `net` = the brokers only, `read`/`write` = its own data folder (and the
 * bus socket), `env` = the variables it reads. The same permissions are
 * given, as flags, to a consumer started as its own process.
 */
import { consumerDataDir, consumerEnvNames } from "./main.ts";
import type { ConsumerEnv } from "./define.ts";
import { busSocketPath } from "../bus/bridge.ts";
import { createLogger } from "../core/log.ts";

const log = createLogger("consumers");

/** A consumer known to the server: where its module is and which principal it uses. */
export interface ConsumerEntry {
  name: string;
  /** Its standalone task is `deno task consumer:<task>`. */
  task: string;
  principal: string;
  /**
   * URL of the consumer's module: it runs the Worker protocol of
   * shared/consumer/main.ts (`runConsumerMain`, or its own) when it is the main module.
   */
  url: URL;
  /** Its variables; only they and the principal decide its permissions. */
  module: ConsumerEnv;
}

/** Where a consumer may connect and which files it may touch. */
export interface ConsumerGrant {
  dataDir: string;
  /** `host:port` of every broker of the cluster. */
  brokers: string[];
}

/** The permissions of a consumer Worker. */
export function consumerPermissions(
  entry: ConsumerEntry,
  grant: ConsumerGrant,
): Deno.PermissionOptionsObject {
  const own = consumerDataDir(grant.dataDir, entry.name);
  const socket = busSocketPath(grant.dataDir);
  return {
    net: grant.brokers,
    read: [own, socket],
    write: [own, socket],
    env: consumerEnvNames(entry.module, entry.principal),
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/** `path` made absolute against the current directory. */
function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path.replace(/^\.\//, "")}`;
}

/**
 * The same permissions as `deno run` flags, for a standalone consumer; it
 * also gets `net` to the server's bus socket (`unix:<absolute path>`), to
 * forward its updates to open pages.
 */
export function consumerRunFlags(entry: ConsumerEntry, grant: ConsumerGrant): string[] {
  const p = consumerPermissions(entry, grant);
  const list = (v: unknown) => (v as string[]).join(",");
  const socket = `unix:${absolute(busSocketPath(grant.dataDir))}`;
  return [
    `--allow-net=${list(p.net)},${socket}`,
    `--allow-read=${list(p.read)}`,
    `--allow-write=${list(p.write)}`,
    `--allow-env=${list(p.env)}`,
  ];
}

/** A running consumer Worker. */
export interface ConsumerWorker {
  name: string;
  worker: Worker;
  /** Resolves when the consumer has joined its group and is consuming. */
  started: Promise<void>;
  /** Graceful stop: finish the batch, commit, disconnect (terminates after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts one consumer as a Worker. `env` sets variables for it alone
 * (DATA_DIR is always the grant's).
 */
export function startConsumerWorker(
  entry: ConsumerEntry,
  grant: ConsumerGrant,
  env: Record<string, string> = {},
): ConsumerWorker {
  Deno.mkdirSync(consumerDataDir(grant.dataDir, entry.name), { recursive: true });
  const worker = new Worker(entry.url, {
    type: "module",
    name: `consumer:${entry.name}`,
    deno: { permissions: consumerPermissions(entry, grant) },
  });
  let started!: () => void;
  let failed!: (error: Error) => void;
  let stopped!: () => void;
  const startedPromise = new Promise<void>((
    resolve,
    reject,
  ) => ((started = resolve), (failed = reject)));
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  worker.onmessage = (event) => {
    if (event.data?.type === "started") started();
    if (event.data?.type === "stopped") stopped();
  };
  worker.postMessage({ type: "start", env: { ...env, DATA_DIR: grant.dataDir } });
  worker.onerror = (event) => {
    event.preventDefault();
    log.error("consumer worker failed", { consumer: entry.name, error: event.message });
    failed(new Error(`consumer ${entry.name} failed: ${event.message}`));
    stopped();
  };
  return {
    name: entry.name,
    worker,
    started: startedPromise,
    async stop(timeoutMs = 30_000) {
      worker.postMessage({ type: "stop" });
      const timer = setTimeout(stopped, timeoutMs);
      await stoppedPromise;
      clearTimeout(timer);
      worker.terminate();
    },
  };
}

/** Handle on the running consumer Workers. */
export interface ConsumerWorkers {
  /** Names of the consumers started. */
  names: string[];
  /** Asks every consumer to finish its batch, commit and disconnect. */
  stop(): Promise<void>;
}

/** Options of `startConsumerWorkers`. */
export interface StartConsumerWorkersOptions {
  /** Data folder (each consumer gets its own sub-folder). */
  dataDir: string;
  /** `host:port` of every broker. */
  brokers: string[];
  /** The consumers to start. */
  entries: ConsumerEntry[];
}

/** Starts the consumer Workers. */
export async function startConsumerWorkers(
  options: StartConsumerWorkersOptions,
): Promise<ConsumerWorkers> {
  const workers = options.entries.map((entry) => startConsumerWorker(entry, options));
  await Promise.all(workers.map((w) => w.started));
  return {
    names: workers.map((w) => w.name),
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
