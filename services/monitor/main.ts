/**
 * The monitor as a program: a Worker of the web server (same protocol as
 * every consumer Worker — the host posts `{type: "start", env}`, the
 * monitor answers `started`; `stop` → `stopped`) or its own process
 * (`deno task consumer:monitor`, stopped by SIGINT/SIGTERM, its live notes
 * bridged to the server's bus socket).
 */
import { busSocketPath, connectBusBridge } from "../../shared/bus/bridge.ts";
import { closeBus } from "../../shared/bus/bus.ts";
import { CONSUMER_BASE_ENV, startMessage, takeConsumerFolder } from "../../shared/consumer/main.ts";
import { fatal, inWorker } from "../../shared/core/fatal.ts";
import { errorMessage } from "../../shared/core/errors.ts";
import { createLogger } from "../../shared/core/log.ts";
import type { FolderLock } from "../../shared/consumer/folder_lock.ts";
import { onStopRequest } from "../../shared/consumer/stop_requests.ts";
import { readEnv, runMain } from "../../shared/core/config.ts";
import { createKafka } from "../../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../../shared/kafka/config.ts";
import { TOPIC_PREFIX_ENV } from "../../shared/kafka/names.ts";
import { MONITOR_ENV, monitorSettings } from "./config.ts";
import { Monitor, monitorGroupId } from "./monitor.ts";
import { openMonitorDatabase } from "./monitor_database.ts";
import { MONITOR_SERVICE } from "./monitor_db.ts";

/** The monitor's principal. */
export const MONITOR_PRINCIPAL = "monitor";

/** Builds a monitor from `env` (the monitor's, consumer and Kafka variables). */
export function createMonitor(
  env: Record<string, string>,
  options: {
    dataDir: string;
    mode: "worker" | "process";
    noteIntervalMs?: number;
    trafficFetchWaitMs?: number;
  },
): Monitor {
  const settings = monitorSettings(env);
  const config = loadKafkaConfig(MONITOR_PRINCIPAL, env);
  return new Monitor({
    kafka: createKafka(config, { clientSuffix: MONITOR_SERVICE }),
    adminKafka: createKafka(config, { clientSuffix: `${MONITOR_SERVICE}-admin`, retries: 2 }),
    db: openMonitorDatabase(options.dataDir),
    settings,
    prefix: env[TOPIC_PREFIX_ENV] ?? "",
    groupId: monitorGroupId(env),
    mode: options.mode,
    noteIntervalMs: options.noteIntervalMs,
    trafficFetchWaitMs: options.trafficFetchWaitMs,
  });
}

/** Entry point of services/monitor/consumer.ts. */
export async function runMonitorMain(): Promise<void> {
  await runMain(async () => {
    const worker = inWorker();
    const given = worker ? (await startMessage()).env : {};
    const names = [...CONSUMER_BASE_ENV, ...MONITOR_ENV, ...kafkaEnvNames(MONITOR_PRINCIPAL)];
    const env = { ...readEnv(names), ...given };
    const dataDir = env.DATA_DIR || "data";
    const log = createLogger(`consumer:${MONITOR_SERVICE}`);
    let lock: FolderLock;
    try {
      lock = await takeConsumerFolder(dataDir, MONITOR_SERVICE, log);
    } catch (error) {
      return fatal(errorMessage(error));
    }
    const monitor = createMonitor(env, { dataDir, mode: worker ? "worker" : "process" });
    const bridge = worker ? undefined : connectBusBridge(busSocketPath(dataDir));
    let stopping: Promise<void> | undefined;
    const stop = () =>
      stopping ??= monitor.stop().finally(() => {
        lock.release();
        bridge?.close();
        closeBus();
      });
    onStopRequest(stop);
    await monitor.start();
    if (worker) self.postMessage({ type: "started" });
  });
}
