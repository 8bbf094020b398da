/**
 * The Kafka client factory: every client of Freshet is built here, so SASL,
 * TLS, logging and retry settings are the same everywhere.
 */
import {
  type Admin,
  Kafka,
  type KafkaConfig as KafkaJsConfig,
  logLevel,
  Partitioners,
  type Producer,
  type SASLOptions,
} from "kafkajs";
import type { KafkaConfig } from "./config.ts";
import { dropNegativeTimeoutWarnings } from "./kafkajs_warnings.ts";
import { partitionedProducer } from "./partitioned_send.ts";
import { stopIdleRequestQueueTimers } from "./kafkajs_idle_timer.ts";
import { writeVarintsInPlace } from "./kafkajs_encoder.ts";
import { useFastCrc32C } from "./kafkajs_crc32c.ts";
import { retrySaslConnectionLoss } from "./kafkajs_sasl_retry.ts";
import { wakeWorkersForEveryBatch } from "./kafkajs_worker_wakeup.ts";
import { keepLeaderlessPartitions } from "./kafkajs_leaderless.ts";
import { endFetchersAfterStop } from "./kafkajs_runner_stop.ts";
import { shortFetchWaitWhilePaused } from "./kafkajs_fetch_wait.ts";
import { registerKafkaCodecs } from "./kafkajs_codecs.ts";
import type { CompressionCodec } from "./codecs/codecs.ts";
import { createLogger, type Logger } from "../core/log.ts";
import {
  guardedSocketFactory,
  type OnMissingPermission,
  type OnTlsFailure,
  stopOnMissingPermission,
} from "./socket.ts";

export type { Admin, Consumer, Producer } from "kafkajs";

const LEVEL_NAMES: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/**
 * Broker answers that are part of normal operation, which KafkaJS logs as
 * errors and then retries (refreshing its metadata first): a coordinator
 * moving or loading, a rebalance asking members to rejoin, a partition's
 * leadership moving or not yet settled (just after a topic is created —
 * every first `deno task dev` printed five of these — or a broker restarts,
 * when every producer printed "Failed to send messages: …" for its next send).
 * They are debug lines here; a request that exhausts its retries still
 * fails, and its caller reports that.
 */
const EXPECTED_ERRORS = new RegExp(
  [
    "coordinator is (loading|not available)",
    "not the correct coordinator",
    "rebalancing, so a rejoin is needed",
    "not the leader for that topic-partition",
    "no leader for this topic-partition",
  ].join("|"),
  "i",
);

/**
 * KafkaJS's warning for an idempotent producer with a finite `retries`
 * ("may invalidate EoS guarantees"), printed by every processor partition's
 * transactional producer at each start. The limit is deliberate where a
 * failed send's outcome is settled another way (createIdempotentProducer):
 * a processor's transaction is aborted and its partition's producer fenced,
 * the outbox relay reads the log back. A debug line here.
 */
const DELIBERATE_WARNINGS = /^Limiting retries for the idempotent producer/;

/** The level a KafkaJS log line is written at in Freshet's log. */
export function kafkaLineLevel(
  level: number,
  message: string,
  error?: unknown,
): "error" | "warn" | "info" | "debug" {
  const name = LEVEL_NAMES[level] ?? "info";
  // The broker's answer is in the line's `error` field (a response's log) or in its text (a
  // producer's retry: "Failed to send messages: <the answer>").
  if (name === "error" && EXPECTED_ERRORS.test(`${message} ${error ?? ""}`)) return "debug";
  if (name === "warn" && DELIBERATE_WARNINGS.test(message)) return "debug";
  return name;
}

/** KafkaJS's log lines, routed to our logger; its chatty INFO level is dropped. */
function kafkaLogCreator(log: Logger) {
  return () =>
  ({ level, log: entry }: { level: number; log: { message: string; [k: string]: unknown } }) => {
    const { message, timestamp: _t, logger: _l, stack: _s, ...fields } = entry;
    log[kafkaLineLevel(level, message, fields.error)](message, fields);
  };
}

/** Options of `createKafka`. */
export interface CreateKafkaOptions {
  /** Suffix of the client id, e.g. the consumer name. */
  clientSuffix?: string;
  /** Connection timeout in milliseconds (default 5000). */
  connectionTimeoutMs?: number;
  /** How long a request may wait for its answer, in milliseconds (default KafkaJS's 30000). */
  requestTimeoutMs?: number;
  /** KafkaJS retry settings for requests (defaults: 8 retries, 300 ms initial, 10 s cap: a broker back is noticed within 10 s). */
  retries?: number;
  /** Drop KafkaJS's own log lines (for probes that expect failures). */
  quiet?: boolean;
  /**
   * What to do when the cluster names a broker this program may not
   * connect to (default: stop with a message naming it; see socket.ts).
   */
  onMissingPermission?: OnMissingPermission;
  /**
   * What to do when TLS keeps a broker from being used: a refused
   * certificate, TLS to a plaintext port or the reverse (default: stop
   * with a message naming the broker and the problem; see socket.ts).
   */
  onTlsFailure?: OnTlsFailure;
}

/** The compression each client's producers use by default (its principal's `compression`). */
const defaultCompression = new WeakMap<Kafka, CompressionCodec>();

/** The codec producers of `kafka` write with unless told otherwise. */
export function compressionOf(kafka: Kafka): CompressionCodec {
  return defaultCompression.get(kafka) ?? "none";
}

/** A KafkaJS client for one principal's configuration. */
export function createKafka(config: KafkaConfig, options: CreateKafkaOptions = {}): Kafka {
  dropNegativeTimeoutWarnings();
  stopIdleRequestQueueTimers();
  writeVarintsInPlace();
  useFastCrc32C();
  retrySaslConnectionLoss();
  keepLeaderlessPartitions();
  endFetchersAfterStop();
  wakeWorkersForEveryBatch();
  shortFetchWaitWhilePaused();
  registerKafkaCodecs();
  const log = createLogger(`kafka:${config.clientId}`);
  const kafkaConfig: KafkaJsConfig = {
    clientId: options.clientSuffix ? `${config.clientId}-${options.clientSuffix}` : config.clientId,
    brokers: config.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    authenticationTimeout: 5_000,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs }),
    logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: kafkaLogCreator(log),
    socketFactory: guardedSocketFactory(
      options.onMissingPermission ?? stopOnMissingPermission,
      options.onTlsFailure,
    ),
    retry: {
      retries: options.retries ?? 8,
      initialRetryTime: 300,
      multiplier: 2,
      maxRetryTime: 10_000,
    },
  };
  if (config.sasl) kafkaConfig.sasl = config.sasl as SASLOptions;
  if (config.ssl) kafkaConfig.ssl = config.ssl;
  const kafka = new Kafka(kafkaConfig);
  defaultCompression.set(kafka, config.compression ?? "none");
  return kafka;
}

/**
 * An idempotent producer (acks=all is implied by idempotence): a retried
 * send never duplicates a record in a partition.
 *
 * By default a send is retried until it succeeds (idempotence holds only
 * while a send is retried) and callers bound the wait themselves. With
 * `retries`, a send fails after that many tries; its outcome is then
 * unknown and the caller must not reuse the producer for the same records
 * (the outbox relay checks the log instead, see shared/outbox/relay.ts).
 *
 * Its sends are split per partition (partitioned_send.ts): KafkaJS loses
 * acknowledged messages of a send spanning several leaders when one dies.
 * Its batches are compressed with `compression` (default: the principal's,
 * `KAFKA_<PRINCIPAL>_COMPRESSION` or `KAFKA_COMPRESSION`); a send naming its
 * own `compression` wins.
 */
export function createIdempotentProducer(
  kafka: Kafka,
  options: { retries?: number; transactionalId?: string; compression?: CompressionCodec } = {},
): Producer {
  return partitionedProducer(
    kafka,
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // A partition just added is known within seconds, not KafkaJS's 5 minutes (partitioned_send.ts).
      metadataMaxAge: 10_000,
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionalId ? 30_000 : undefined,
      retry: {
        retries: options.retries ?? Number.MAX_SAFE_INTEGER,
        initialRetryTime: 100,
        maxRetryTime: 5_000,
      },
    }),
    { compression: options.compression ?? compressionOf(kafka) },
  );
}

/** Runs `fn` with a connected admin client and always disconnects it. */
export async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
