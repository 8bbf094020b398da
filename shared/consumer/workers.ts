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
import { publish, relayWorkerBus } from "../bus/bus.ts";
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

/**
 * The code a consumer reads to start its applier Worker (the pipelined
 * runner, applier.ts): a Worker's modules are read with its creator's
 * permissions. The kernel, the services, the npm packages and the folder
 * of the consumer's own module; never another folder's data.
 */
function applierSources(entry: ConsumerEntry): string[] {
  if (entry.url.protocol !== "file:") return [];
  const path = (url: URL) => decodeURIComponent(url.pathname).replace(/\/$/, "");
  return [
    path(new URL("..", import.meta.url)),
    path(new URL("../../services/", import.meta.url)),
    path(new URL("../../node_modules/", import.meta.url)),
    path(new URL(".", entry.url)),
  ];
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
 * data folder and the bus socket, `env` = the variables it reads. It also
 * reads the code of its applier Worker (`applierSources`).
 */
export function consumerGrant(entry: ConsumerEntry, grant: ConsumerGrant): Grant {
  const own = consumerDataDir(grant.dataDir, entry.name);
  const socket = busSocketPath(grant.dataDir);
  return {
    net: grant.brokers,
    read: [own, socket, ...(grant.tlsFiles ?? []), ...applierSources(entry)],
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
  /** Resolves when the Worker has ended: stopped, failed or died. */
  ended: Promise<WorkerEnd>;
  /** Graceful stop: finish the batch, commit, disconnect (terminates after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * How a Worker ended: `stopped` (asked to), `fatal` (it stopped on a fault
 * it cannot retry and said why: a gap, a missing permission, another
 * cluster's database; an operator must act), or `died` (an uncaught error:
 * a crash, restarted by the supervisor).
 */
export type WorkerEnd = { how: "stopped" } | { how: "fatal" | "died"; message: string };

/**
 * A failed Worker cannot report itself any more: the host reports it on
 * the bus in its place, so `/health` names it with the reason.
 */
export function publishWorkerFailure(
  entry: ConsumerEntry,
  message: string,
  options: { state?: "failed" | "starting"; restarts?: number } = {},
): void {
  const status: ConsumerStatus = {
    name: entry.name,
    groupId: "",
    topics: [],
    state: options.state ?? "failed",
    mode: "worker",
    lag: 0,
    partitionLag: {},
    counters: { processed: 0, deadLettered: 0, skipped: 0, batches: 0, retries: 0 },
    lastError: message,
    restarts: options.restarts,
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
  options: { restarts?: number } = {},
): ConsumerWorker {
  Deno.mkdirSync(consumerDataDir(grant.dataDir, entry.name), { recursive: true });
  const worker = new Worker(entry.url, {
    type: "module",
    name: `consumer:${entry.name}`,
    deno: { permissions: consumerPermissions(entry, grant) },
  });
  let started!: () => void;
  let failed!: (error: Error) => void;
  let ended!: (end: WorkerEnd) => void;
  const startedPromise = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  startedPromise.catch(() => {}); // the caller may not wait for it
  const endedPromise = new Promise<WorkerEnd>((resolve) => (ended = resolve));
  const fail = (how: "fatal" | "died", message: string) => {
    log.error(how === "died" ? "consumer died" : "consumer failed", {
      consumer: entry.name,
      error: message,
    });
    publishWorkerFailure(entry, message, { restarts: options.restarts });
    failed(new Error(`consumer ${entry.name} failed: ${message}`));
    ended({ how, message });
  };
  const bus = relayWorkerBus(worker);
  endedPromise.then(() => bus.close());
  worker.onmessage = (event) => {
    if (bus.onMessage(event.data)) return;
    const type = event.data?.type;
    if (type === "started") started();
    if (type === "stopped") ended({ how: "stopped" });
    if (type === "fatal") {
      fail("fatal", String(event.data.message));
      worker.terminate();
    }
  };
  worker.postMessage({
    type: "start",
    env: { ...env, DATA_DIR: grant.dataDir },
    restarts: options.restarts ?? 0,
  });
  worker.onerror = (event) => {
    event.preventDefault();
    fail("died", event.message);
    worker.terminate();
  };
  return {
    name: entry.name,
    worker,
    started: startedPromise,
    ended: endedPromise,
    async stop(timeoutMs = 30_000) {
      worker.postMessage({ type: "stop" });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        endedPromise,
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      worker.terminate();
      bus.close();
    },
  };
}

/** Handle on the running consumer Workers. */
export interface ConsumerWorkers {
  /** Names of the consumers started. */
  names: string[];
  /** Settles once every consumer started or failed: the names of each. */
  started: Promise<{ running: string[]; failed: { name: string; error: string }[] }>;
  /** Restarts so far, by consumer. */
  restarts(): Record<string, number>;
  /** Asks every consumer to finish its batch, commit and disconnect. */
  stop(): Promise<void>;
}

/** Options of `startConsumerWorkers`. */
export interface StartConsumerWorkersOptions extends ConsumerGrant {
  /** The consumers to start. */
  entries: ConsumerEntry[];
  /** First wait before a Worker that died is started again (default 1000 ms; doubles, to 60 s). */
  restartDelayMs?: number;
  /** Longest wait between restarts (default 60 000 ms). */
  maxRestartDelayMs?: number;
  /** A Worker that ran this long before dying restarts after the first delay again (default 60 s). */
  healthyAfterMs?: number;
  /** How long a stop waits for each Worker (default 25 000 ms), then terminates it. */
  stopTimeoutMs?: number;
}

/** One consumer under supervision: its current Worker and its restarts. */
interface Supervised {
  entry: ConsumerEntry;
  current: ConsumerWorker;
  restarts: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Starts the consumer Workers; one failing does not stop the others. A
 * Worker that dies (an uncaught error) is started again after a delay
 * doubling from `restartDelayMs` to `maxRestartDelayMs` (back to the first
 * once it ran `healthyAfterMs`); its restart count is in its status,
 * `/health` and `/metrics`. A Worker that stopped on a fault it cannot
 * retry (it said why) is left stopped: an operator must act.
 */
export function startConsumerWorkers(options: StartConsumerWorkersOptions): ConsumerWorkers {
  const first = options.restartDelayMs ?? 1_000;
  const max = options.maxRestartDelayMs ?? 60_000;
  const healthy = options.healthyAfterMs ?? 60_000;
  let stopping = false;
  const supervise = (item: Supervised, delay: number) => {
    const startedAt = Date.now();
    item.current.ended.then((end) => {
      if (stopping || end.how !== "died") return;
      const wait = Date.now() - startedAt >= healthy ? first : delay;
      log.warn("restarting the consumer", {
        consumer: item.entry.name,
        restarts: item.restarts + 1,
        delay: wait,
      });
      publishWorkerFailure(item.entry, `${end.message} (restarting in ${wait} ms)`, {
        state: "starting",
        restarts: item.restarts,
      });
      item.timer = setTimeout(() => {
        if (stopping) return;
        item.restarts++;
        item.current = startConsumerWorker(item.entry, options, {}, { restarts: item.restarts });
        supervise(item, Math.min(max, wait * 2));
      }, wait);
    });
  };
  const items: Supervised[] = options.entries.map((entry) => {
    const item: Supervised = { entry, current: startConsumerWorker(entry, options), restarts: 0 };
    supervise(item, first);
    return item;
  });
  const started = Promise.allSettled(items.map((w) => w.current.started)).then((results) => ({
    running: items.filter((_, i) => results[i].status === "fulfilled").map((w) => w.entry.name),
    failed: items.flatMap((w, i) => {
      const result = results[i];
      return result.status === "rejected"
        ? [{ name: w.entry.name, error: (result.reason as Error).message }]
        : [];
    }),
  }));
  return {
    names: items.map((w) => w.entry.name),
    started,
    restarts: () => Object.fromEntries(items.map((w) => [w.entry.name, w.restarts])),
    stop: async () => {
      stopping = true;
      for (const item of items) clearTimeout(item.timer);
      await Promise.all(items.map((w) => w.current.stop(options.stopTimeoutMs ?? 25_000)));
    },
  };
}
