/**
 * The monitor: the traffic consume loop, the lag sampler, retention, the
 * live notes and the status report, around one SQLite database. Runs as a
 * Worker of the web server or as its own process (main.ts).
 */
import type { Kafka } from "kafkajs";
import { publish } from "../../shared/bus/bus.ts";
import { CONSUMER_STATUS_TOPIC, type ConsumerStatus } from "../../shared/consumer/status.ts";
import { errorMessage } from "../../shared/core/errors.ts";
import { createLogger } from "../../shared/core/log.ts";
import { groupName } from "../../shared/kafka/names.ts";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { AdminSession, RENEW_ONCE } from "../../shared/kafka/admin_session.ts";
import { RenewingClient } from "../../shared/kafka/renewing_client.ts";
import { createCluster, type KafkaCluster } from "../../shared/kafka/wire/kafka_cluster.ts";
import type { MonitorSettings } from "./config.ts";
import { StatusReporter } from "../../shared/consumer/status_reporter.ts";
import { LiveTraffic } from "./live_notes.ts";
import { MONITOR_SERVICE } from "./monitor_db.ts";
import { writeSettings } from "./monitor_database.ts";
import { applyRetention } from "./retention.ts";
import { LagSampler } from "./sampler.ts";
import { TrafficConsumer } from "./traffic_consumer.ts";
import { TrafficStore } from "./traffic_store.ts";

/** The monitor's consumer group (it commits there too, so its own lag shows). */
export function monitorGroupId(env: Record<string, string | undefined>): string {
  return groupName(env, "monitor-traffic");
}

/** Options of the monitor. */
export interface MonitorOptions {
  /** Client for the consume loop. */
  kafka: Kafka;
  /** Client for admin requests (sampling, topic lists); fewer retries than the consumer's. */
  adminKafka: Kafka;
  db: DatabaseSync;
  settings: MonitorSettings;
  /** Topic prefix (`FRESHET_TOPIC_PREFIX`). */
  prefix: string;
  groupId: string;
  mode: "worker" | "process";
  /**
   * How soon live notes go out after traffic is counted, and the shortest
   * time between two status reports (default 1000 ms); with nothing counted
   * no note goes out, and the status every 3 s (StatusReporter).
   */
  noteIntervalMs?: number;
  /** The traffic consumer's longest wait of an empty fetch (traffic_consumer.ts). */
  trafficFetchWaitMs?: number;
}

/** Longest `stop()`, whatever the broker does (a process's own deadline, 25 s, is above it). */
const STOP_DEADLINE_MS = 15_000;

/** Waits for `promise` until the time `deadline` at most (it is left running after). */
async function within(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(timer);
}

/** A running monitor. */
export class Monitor {
  readonly consumer: TrafficConsumer;
  readonly sampler: LagSampler;
  #options: MonitorOptions;
  #admin: AdminSession;
  #cluster: RenewingClient<KafkaCluster>;
  #live: LiveTraffic;
  #state: ConsumerStatus["state"] = "starting";
  #timers: ReturnType<typeof setInterval>[] = [];
  #noteTimer?: ReturnType<typeof setTimeout>;
  #status: StatusReporter;
  #log = createLogger(`consumer:${MONITOR_SERVICE}`);

  constructor(options: MonitorOptions) {
    this.#options = options;
    this.#admin = new AdminSession(options.adminKafka);
    this.#cluster = new RenewingClient(() => createCluster(options.adminKafka), RENEW_ONCE);
    this.#live = new LiveTraffic(options.settings.sampleMs, () => this.#noteSoon());
    this.#status = new StatusReporter(() => this.#publishStatus(), {
      minGapMs: options.noteIntervalMs ?? 1_000,
    });
    this.consumer = new TrafficConsumer({
      kafka: options.kafka,
      admin: this.#admin,
      store: new TrafficStore(options.db),
      settings: options.settings,
      groupId: options.groupId,
      prefix: options.prefix,
      live: this.#live,
      log: this.#log,
      fetchWaitMs: options.trafficFetchWaitMs,
    });
    this.sampler = new LagSampler({
      cluster: this.#cluster,
      db: options.db,
      settings: options.settings,
      prefix: options.prefix,
      log: this.#log,
    });
  }

  /** The status report, as every consumer publishes it. */
  status(): ConsumerStatus {
    const partitionLag = Object.fromEntries(this.consumer.partitionLag);
    const lastError = this.consumer.lastError ?? this.sampler.lastError;
    const { messages, batches } = this.consumer.counters;
    return {
      name: MONITOR_SERVICE,
      groupId: this.#options.groupId,
      topics: this.consumer.topics,
      state: this.#state === "running" && lastError ? "retrying" : this.#state,
      mode: this.#options.mode,
      lag: Object.values(partitionLag).reduce((a, b) => a + b, 0),
      partitionLag,
      counters: { processed: messages, deadLettered: 0, skipped: 0, batches, retries: 0 },
      lastError,
      at: Date.now(),
    };
  }

  /** Starts counting, sampling, folding and reporting; resolves once counting has started. */
  async start(): Promise<void> {
    const { db, settings } = this.#options;
    writeSettings(db, settings);
    this.#status.now();
    this.#retain();
    this.#timers.push(setInterval(() => this.#retain(), Math.min(settings.coarseMs, 60_000)));
    await this.consumer.start();
    this.sampler.start();
    this.#state = "running";
    this.#status.now();
    this.#log.info("monitoring", { group: this.#options.groupId, prefix: this.#options.prefix });
  }

  /** Stops everything; the batch and sample in progress finish first. */
  async stop(): Promise<void> {
    this.#log.info("stopping: finishing the batch and the sample in progress");
    this.#state = "stopping";
    this.#status.now();
    for (const timer of this.#timers) clearInterval(timer);
    // Within STOP_DEADLINE_MS whatever the broker does: a sample or a fetch waiting on an
    // absent broker is left behind (counts are committed with their offsets; nothing is lost).
    const deadline = Date.now() + STOP_DEADLINE_MS;
    await within(Promise.all([this.consumer.stop(), this.sampler.stop()]), deadline - 3_000);
    await within(Promise.all([this.#admin.close(), this.#cluster.close()]), deadline);
    clearTimeout(this.#noteTimer);
    this.#live.flush();
    this.#state = "stopped";
    this.#status.now();
    this.#status.stop();
  }

  /** Traffic was counted: its note (and the status) go out within the note interval. */
  #noteSoon(): void {
    this.#noteTimer ??= setTimeout(() => {
      this.#noteTimer = undefined;
      this.#live.flush();
      this.#status.changed();
    }, this.#options.noteIntervalMs ?? 1_000);
  }

  #retain(): void {
    try {
      const { folded, dropped } = applyRetention(this.#options.db, this.#options.settings);
      if (folded + dropped > 0) this.#log.debug("retention", { folded, dropped });
    } catch (error) {
      this.#log.warn("retention failed", { error: errorMessage(error) });
    }
  }

  #publishStatus(): void {
    publish(CONSUMER_STATUS_TOPIC, "status", this.status());
  }
}
