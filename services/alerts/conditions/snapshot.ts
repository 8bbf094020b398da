/**
 * What the alert conditions read at one evaluation: the monitor's latest
 * sample of each group and its dead-letter counts, the server's consumers
 * as their status reports say, and the cluster's brokers and partitions.
 * A part that could not be read is absent (or an error): the rules that
 * need it observe nothing this time and their alerts stay as they were.
 */

/** A group as the monitor last sampled it. */
export interface GroupSample {
  group: string;
  lag: number;
  lagMs: number | null;
  status: string;
  error: string | null;
  /** When it was sampled (ms). */
  at: number;
}

/** What the monitor's database says. */
export interface MonitorView {
  /** Its sampling period: a sample older than three of them is not trusted. */
  sampleMs: number;
  groups: GroupSample[];
  /** Messages counted so far on each topic (the conditions pick the dead-letter topics). */
  topicTotals: Map<string, number>;
}

/** A consumer of the server, from its last status report. */
export interface ConsumerView {
  name: string;
  groupId: string;
  state: string;
  lastError?: string;
  /** When its last report arrived (ms). */
  receivedAt: number;
}

/** One partition's replicas. */
export interface PartitionView {
  partition: number;
  /** -1: no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
}

/** The cluster's brokers and partitions, or why it could not be read. */
export type ClusterView =
  | {
    brokers: { id: number; host: string }[];
    topics: { name: string; partitions: PartitionView[] }[];
  }
  | { error: string };

/** Everything one evaluation reads. */
export interface Snapshot {
  now: number;
  /** `FRESHET_TOPIC_PREFIX`: under one, only its topics and groups are watched. */
  topicPrefix: string;
  monitor?: MonitorView;
  consumers: ConsumerView[];
  /** A consumer whose last report is older than this is stale. */
  staleAfterMs: number;
  cluster?: ClusterView;
}

/** What conditions remember between evaluations (the alerts database; a map in tests). */
export interface ConditionMemory {
  /** Dead-letter counts: the last total seen of a topic and when it last grew. */
  dlqSeen(topic: string): { messages: number; changedAt: number } | undefined;
  setDlqSeen(topic: string, messages: number, changedAt: number): void;
  /** Whether dead-letter counts were ever recorded (the first evaluation only records them). */
  dlqBaseline(): boolean;
  markDlqBaseline(): void;
  /** Brokers seen, and when last. */
  knownBrokers(): { id: number; host: string; lastSeenAt: number }[];
  seeBroker(id: number, host: string, at: number): void;
  forgetBroker(id: number): void;
}

/** Whether a monitor sample at `at` is recent enough to judge by, at `now`. */
export function trusted(monitor: MonitorView, at: number, now: number): boolean {
  return now - at <= 3 * monitor.sampleMs + 1_000;
}
