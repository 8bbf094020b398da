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
import { publish } from "../bus/bus.ts";
import { CONSUMER_STATUS_TOPIC, type ConsumerStatus } from "./status.ts";
import { absolutePath, type Grant, grantFlags, workerPermissions } from "../permissions/grant.ts";

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
  /** `host:port` of every broker of the cluster (bootstrap and advertised). */
  brokers: string[];
  /** The TLS files configured (`KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`). */
  tlsFiles?: string[];
}

/**
 * What a consumer may touch: `net` = the brokers, `read`/`write` = its own
 * data folder and the bus socket, `env` = the variables it reads.
 */
export function consumerGrant(entry: ConsumerEntry, grant: ConsumerGrant): Grant {
  const own = consumerDataDir(grant.dataDir, entry.name);
  const socket = busSocketPath(grant.dataDir);
  return {
    net: grant.brokers,
    read: [own, socket, ...(grant.tlsFiles ?? [])],
    write: [own, socket],
    env: consumerEnvNames(entry.module, entry.principal),
  };
}

/** The permissions of a consumer Worker. */
export function consumerPermissions(
  entry: ConsumerEntry,
  grant: ConsumerGrant,
): Deno.PermissionOptionsObject {
  return workerPermissions(consumerGrant(entry, grant));
}

/**
 * The same grant for a consumer started as its own process; it also gets
 * `net` to the server's bus socket (`unix:<absolute path>`), to forward its
 * updates to open pages.
 */
export function consumerProcessGrant(entry: ConsumerEntry, grant: ConsumerGrant): Grant {
  const own = consumerGrant(entry, grant);
  return { ...own, net: [...own.net, `unix:${absolutePath(busSocketPath(grant.dataDir))}`] };
}

/** `consumerProcessGrant` as `deno run` flags. */
export function consumerRunFlags(entry: ConsumerEntry, grant: ConsumerGrant): string[] {
  return grantFlags(consumerProcessGrant(entry, grant));
}

/** A running consumer Worker. */
export interface ConsumerWorker {
  name: string;
  worker: Worker;
  /** Resolves when the consumer has connected and subscribed; rejects with why it failed. */
  started: Promise<void>;
  /** Graceful stop: finish the batch, commit, disconnect (terminates after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * A failed Worker cannot report itself any more: the host reports it on
 * the bus in its place, so `/health` names it with the reason.
 */
export function publishWorkerFailure(entry: ConsumerEntry, message: string): void {
  const status: ConsumerStatus = {
    name: entry.name,
    groupId: "",
    topics: [],
    state: "failed",
    mode: "worker",
    lag: 0,
    partitionLag: {},
    counters: { processed: 0, deadLettered: 0, skipped: 0, batches: 0, retries: 0 },
    lastError: message,
    at: Date.now(),
  };
  publish(CONSUMER_STATUS_TOPIC, "status", status);
}

/**
 * Starts one consumer as a Worker. `env` sets variables for it alone
 * (DATA_DIR is always the grant's). A Worker that fails (an uncaught error,
 * or a fatal fault it reported, e.g. a missing permission) is reported
 * failed on the bus with its reason.
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
  const startedPromise = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  startedPromise.catch(() => {}); // the caller may not wait for it
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const fail = (message: string) => {
    log.error("consumer failed", { consumer: entry.name, error: message });
    publishWorkerFailure(entry, message);
    failed(new Error(`consumer ${entry.name} failed: ${message}`));
    stopped();
  };
  worker.onmessage = (event) => {
    const type = event.data?.type;
    if (type === "started") started();
    if (type === "stopped") stopped();
    if (type === "fatal") {
      fail(String(event.data.message));
      worker.terminate();
    }
  };
  worker.postMessage({ type: "start", env: { ...env, DATA_DIR: grant.dataDir } });
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message);
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
  /** Settles once every consumer started or failed: the names of each. */
  started: Promise<{ running: string[]; failed: { name: string; error: string }[] }>;
  /** Asks every consumer to finish its batch, commit and disconnect. */
  stop(): Promise<void>;
}

/** Options of `startConsumerWorkers`. */
export interface StartConsumerWorkersOptions extends ConsumerGrant {
  /** The consumers to start. */
  entries: ConsumerEntry[];
}

/** Starts the consumer Workers; one failing does not stop the others. */
export function startConsumerWorkers(options: StartConsumerWorkersOptions): ConsumerWorkers {
  const workers = options.entries.map((entry) => startConsumerWorker(entry, options));
  const started = Promise.allSettled(workers.map((w) => w.started)).then((results) => ({
    running: workers.filter((_, i) => results[i].status === "fulfilled").map((w) => w.name),
    failed: workers.flatMap((w, i) => {
      const result = results[i];
      return result.status === "rejected"
        ? [{ name: w.name, error: (result.reason as Error).message }]
        : [];
    }),
  }));
  return {
    names: workers.map((w) => w.name),
    started,
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
