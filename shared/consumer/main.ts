/**
 * Runs a consumer module as a standalone process or as a Worker of the web
 * server: opens its own database under `DATA_DIR/<name>/`, connects as its
 * principal, and stops gracefully on SIGINT/SIGTERM (process) or on a
 * `stop` message (Worker).
 */
import { busSocketPath, connectBusBridge } from "../bus/bridge.ts";
import { closeBus, useHostBus } from "../bus/bus.ts";
import { parseEnv, positiveInt, readEnv, runMain } from "../core/config.ts";
import { createKafka } from "../kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../kafka/config.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { OUTBOX_MIGRATION } from "../outbox/outbox.ts";
import { logRecovery } from "../outbox/recovery.ts";
import { openDatabase } from "../sqlite/sqlite.ts";
import { z } from "zod";
import type { ConsumerDefinition, ConsumerEnv, ConsumerModule } from "./define.ts";
import { OFFSETS_MIGRATION } from "./offsets.ts";
import { CONSUMER_META_MIGRATION } from "./cluster_stamp.ts";
import { gapPolicyFor } from "./gap_policy.ts";
import { GAPS_MIGRATION, OFFSET_TOPIC_ID_MIGRATION } from "./gaps.ts";
import { type FolderLock, lockFolder, waitForFolderLock } from "./folder_lock.ts";
import { onStopRequest } from "./stop_requests.ts";
import { errorMessage } from "../core/errors.ts";
import { fatal, inWorker } from "../core/fatal.ts";
import { ConsumerRunner, type ConsumerRunnerOptions } from "./runner.ts";

/** Variables every consumer reads, besides its own and the Kafka ones. */
export const CONSUMER_BASE_ENV = [
  "DATA_DIR",
  "LOG_LEVEL",
  "CONSUMER_SESSION_TIMEOUT_MS",
  "CONSUMER_TXN_MESSAGES",
  "CONSUMER_RETRY_BUDGET_MS",
  "FRESHET_TOPIC_PREFIX",
  "CONSUMER_ON_GAP",
  "CONSUMER_PIPELINE",
] as const;

/** Every variable a consumer module reads when run as `principal`. */
export function consumerEnvNames(module: ConsumerEnv, principal: string): string[] {
  return [...new Set([...CONSUMER_BASE_ENV, ...kafkaEnvNames(principal), ...module.env])];
}

/** Folder of a consumer's own files. */
export function consumerDataDir(dataDir: string, name: string): string {
  return `${dataDir}/${name}`;
}

/**
 * Creates the consumer's data folder and takes its lock, waiting (and
 * saying so) while a holder that is ending lets go: `waitForFolderLock`.
 */
export async function takeConsumerFolder(
  dataDir: string,
  name: string,
  log: Logger,
): Promise<FolderLock> {
  const folder = consumerDataDir(dataDir, name);
  Deno.mkdirSync(folder, { recursive: true });
  return await waitForFolderLock(folder, `consumer ${name}`, {
    onWait: (holder) => log.info("waiting for the data folder's holder to let go", { holder }),
  });
}

const baseSchema = z.object({
  DATA_DIR: z.string().default("data"),
  CONSUMER_SESSION_TIMEOUT_MS: positiveInt.min(
    6_000,
    "expected at least 6000 (the broker's minimum)",
  )
    .optional(),
  CONSUMER_TXN_MESSAGES: positiveInt.optional(),
  CONSUMER_RETRY_BUDGET_MS: positiveInt.optional(),
  CONSUMER_PIPELINE: z.enum(["on", "off"], { error: "expected on or off" }).default("on"),
}).catchall(z.string().optional());

/** Longest a consumer process may take to stop on SIGTERM before it exits anyway. */
const STOP_DEADLINE_MS = 25_000;

/** The kernel's tables in every consumer database. */
export const KERNEL_MIGRATIONS = [
  OFFSETS_MIGRATION,
  OUTBOX_MIGRATION,
  CONSUMER_META_MIGRATION,
  OFFSET_TOPIC_ID_MIGRATION,
  GAPS_MIGRATION,
];

/**
 * Takes the consumer's data folder (one process per folder: a second is
 * refused with FolderLockedError), opens its database and builds a runner
 * for `definition`.
 */
export function createRunner(
  definition: ConsumerDefinition,
  options:
    & {
      dataDir: string;
      mode: "worker" | "process";
      env?: Record<string, string>;
      /**
       * A view's module and the variables it was built with: its chunks are
       * applied by a Worker of this thread (the pipelined runner).
       */
      pipelined?: { moduleUrl: string; env: Record<string, string> };
    }
    & Partial<ConsumerRunnerOptions>,
): ConsumerRunner {
  const dir = consumerDataDir(options.dataDir, definition.name);
  Deno.mkdirSync(dir, { recursive: true });
  const lock = options.lock ?? lockFolder(dir, `consumer ${definition.name}`);
  let db;
  try {
    db = options.db ?? openDatabase(`${dir}/${definition.name}.db`, {
      migrations: [...definition.migrations, ...KERNEL_MIGRATIONS],
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  const kafka = options.kafka ??
    createKafka(
      loadKafkaConfig(definition.principal, {
        ...readEnv(kafkaEnvNames(definition.principal)),
        ...options.env,
      }),
      { clientSuffix: definition.name },
    );
  const dbPath = `${dir}/${definition.name}.db`;
  return new ConsumerRunner(definition, {
    outboxRecovery: logRecovery(kafka, `${definition.principal}-`),
    folder: dir,
    applier: options.pipelined && !options.db ? { ...options.pipelined, dbPath } : undefined,
    ...options,
    lock,
    kafka,
    db,
  });
}

/**
 * In a Worker: the `start` message of the host, carrying variables it sets
 * for this consumer and how many times it restarted it.
 */
export function startMessage(): Promise<{ env: Record<string, string>; restarts: number }> {
  // Its bus goes through the host from now on (bus.ts: no BroadcastChannel in a Worker).
  useHostBus();
  return new Promise((resolve) => {
    const onMessage = (event: Event) => {
      const data = (event as MessageEvent).data;
      if (data?.type !== "start") return;
      self.removeEventListener("message", onMessage);
      resolve({ env: data.env ?? {}, restarts: Number(data.restarts ?? 0) });
    };
    self.addEventListener("message", onMessage);
  });
}

/**
 * Entry point of a consumer file: `if (import.meta.main) await runConsumerMain(module)`.
 * As a Worker it waits for the host's `start` message, whose variables win
 * over the environment's.
 */
export async function runConsumerMain(module: ConsumerModule): Promise<void> {
  await runMain(async () => {
    const worker = inWorker();
    const start = worker ? await startMessage() : { env: {}, restarts: 0 };
    const given = start.env;
    const env = { ...readEnv([...CONSUMER_BASE_ENV, ...module.env]), ...given };
    const config = parseEnv(baseSchema, env);
    const definition = module.create(env);
    const log = createLogger(`consumer:${definition.name}`);
    const bridge = worker ? undefined : connectBusBridge(busSocketPath(config.DATA_DIR));
    // A fault it cannot retry: the failed status reaches open pages, then it stops.
    const stopOnFault = async (error: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      bridge?.close();
      fatal(errorMessage(error));
    };
    let runner: ConsumerRunner;
    try {
      const lock = await takeConsumerFolder(config.DATA_DIR, definition.name, log);
      runner = createRunner(definition, {
        lock,
        dataDir: config.DATA_DIR,
        mode: worker ? "worker" : "process",
        env: given,
        sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
        maxMessagesPerTransaction: config.CONSUMER_TXN_MESSAGES,
        messageBudgetMs: config.CONSUMER_RETRY_BUDGET_MS,
        onGap: gapPolicyFor(env.CONSUMER_ON_GAP, definition.name),
        pipelined: config.CONSUMER_PIPELINE === "on"
          ? { moduleUrl: worker ? self.location.href : Deno.mainModule, env }
          : undefined,
        restarts: start.restarts || undefined,
        onFatal: (error) => void stopOnFault(error),
      });
    } catch (error) {
      return await stopOnFault(error);
    }

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        log.info("stopping: finishing the batch in progress");
        await runner.stop();
        bridge?.close();
        closeBus();
      })();
      return stopping;
    };
    onStopRequest(stop, STOP_DEADLINE_MS);
    try {
      await runner.start();
    } catch (error) {
      return await stopOnFault(error);
    }
    if (worker) self.postMessage({ type: "started" });
  });
}
