/**
 * What the monitor's pages, islands and JSON API show: plain data, shared by
 * the server and the browser (this module must stay free of server-only imports).
 */
import type { FeedMessage } from "../feed.ts";
import type { GroupStatus } from "../group_status.ts";

export type { FeedMessage, GroupStatus };

/** `[t, value, …]` points of a series; `t` is a bucket start in milliseconds since the epoch. */
export type Point = [number, ...(number | null)[]];

/** One topic's traffic: totals since counted, the current rate, and its series. */
export interface TopicTraffic {
  topic: string;
  /** Messages and bytes (key + value) counted since the monitor first saw the topic. */
  messages: number;
  bytes: number;
  /** Messages per second over the last few samples. */
  rate: number;
  /** Whether it is a dead-letter topic (`.dlq`). */
  deadLetters: boolean;
  /** `[t, messages per second, bytes per second]` per bucket. */
  series: Point[];
  /** A chart's "others" line: how many topics it sums (services/monitor/web/chart_topics.ts). */
  others?: number;
}

/** The answer of `/api/monitor/topics`. */
export interface TopicsReport {
  range: string;
  /** Bucket size, milliseconds. */
  step: number;
  from: number;
  to: number;
  /** The monitor's sampling period (the finest bucket), milliseconds. */
  sampleMs: number;
  columns: ["t", "messagesPerSecond", "bytesPerSecond"];
  topics: TopicTraffic[];
}

/** A group's latest sample as lists show it. */
export interface GroupRow {
  group: string;
  state: string;
  protocolType: string;
  members: number;
  topics: string[];
  lag: number;
  /** Milliseconds behind, null when unknown. */
  lagMs: number | null;
  status: GroupStatus;
  error: string | null;
  /** When it was sampled, milliseconds since the epoch. */
  at: number;
}

/** A group in the `/groups` list, with its recent lag for a sparkline. */
export interface GroupListRow extends GroupRow {
  /** Lag over the last 15 minutes, one value per bucket (null when not sampled). */
  sparkline: (number | null)[];
}

/** A member of a group. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignment: { topic: string; partitions: number[] }[];
}

/** One partition of a group. */
export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number;
  end: number;
  lag: number;
  lagMs: number | null;
  status: GroupStatus;
  /** Client id of the member assigned the partition. */
  owner: string | null;
}

/** The answer of `/api/groups/:group`. */
export interface GroupDetail extends GroupRow {
  memberList: GroupMember[];
  partitions: GroupPartition[];
  /** Rates over the status window and the time to clear the lag at them. */
  clear: { consumedPerSec: number; producedPerSec: number; clearMs: number | null };
  range: string;
  step: number;
  columns: ["t", "lag", "lagMs"];
  series: Point[];
}

/** One group's lag over the range, for the monitor's charts. */
export interface GroupSeries {
  group: string;
  status: GroupStatus;
  /** `[t, lag, lagMs]` per bucket. */
  series: Point[];
}
