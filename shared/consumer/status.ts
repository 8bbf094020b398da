/**
 * What every consumer reports about itself on the bus (topic `consumer`,
 * type `status`) about once a second: the web server keeps the latest
 * report of each for `/health`, `/metrics` and the home page.
 */
import type { GapRecord } from "./gaps.ts";

/**
 * Lifecycle of a consumer: `starting` (connecting), `rejoining` (waiting
 * for its group to hand it partitions: after a kill, until the old member's
 * session times out), `running`, `retrying` (a partition paused on a
 * failing message), `stopping`, `stopped`, `failed` (stopped on a fault it
 * cannot retry; `lastError` says which).
 */
export type ConsumerState =
  | "starting"
  | "rejoining"
  | "running"
  | "retrying"
  | "stopping"
  | "stopped"
  | "failed";

/** Every state, in lifecycle order. */
export const CONSUMER_STATES: readonly ConsumerState[] = [
  "starting",
  "rejoining",
  "running",
  "retrying",
  "stopping",
  "stopped",
  "failed",
];

/** Monotonic counters since the consumer started. */
export interface ConsumerCounters {
  /** Messages applied to SQLite. */
  processed: number;
  /** Messages sent to a dead-letter topic. */
  deadLettered: number;
  /** Messages skipped because SQLite had them already (redelivery). */
  skipped: number;
  /** Batches committed. */
  batches: number;
  /** Batch attempts that failed and were retried. */
  retries: number;
}

/** One consumer's report. */
export interface ConsumerStatus {
  name: string;
  groupId: string;
  topics: string[];
  state: ConsumerState;
  /** Whether it runs as a Worker of the server or as its own process. */
  mode: "worker" | "process";
  /** Messages behind the end of each assigned partition, summed. */
  lag: number;
  /** `topic:partition` → messages behind. */
  partitionLag: Record<string, number>;
  counters: ConsumerCounters;
  /** Last error, if the consumer is retrying or failed. */
  lastError?: string;
  /** `view` or `processor` (see shared/consumer/define.ts). */
  kind?: "view" | "processor";
  /** A view whose chunks are applied by its applier Worker (docs/pipelined_runner.md). */
  pipelined?: boolean;
  /** A view's outbox: unsent events, age of the oldest, failing topics. */
  outbox?: {
    unsent: number;
    oldestUnsentMs: number;
    failingTopics: { topic: string; error: string }[];
  };
  /** How many times the server restarted this consumer's Worker after it died (Workers only). */
  restarts?: number;
  /** Gaps the consumer accepted or rebuilt past (gap_policy.ts): how many, the newest first. */
  gaps?: { total: number; recent: GapRecord[] };
  /** Milliseconds since the epoch. */
  at: number;
}

/** Bus topic carrying consumer reports. */
export const CONSUMER_STATUS_TOPIC = "consumer";
