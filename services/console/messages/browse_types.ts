/**
 * What the message browser is asked and what it answers: where to start
 * (newest, oldest, an offset, a time, or a page cursor), which partitions,
 * how many messages, which filters and the scan budget.
 */
import type { MessageFilter } from "./filter.ts";
import type { MessageView } from "./message_view.ts";
import type { ReadStats } from "./range_reader.ts";

/** Where a page starts. `before`/`after` are the cursors of the older/newer pages. */
export type Seek =
  | { kind: "newest" }
  | { kind: "oldest" }
  | { kind: "offset"; offset: number }
  | { kind: "timestamp"; timestampMs: number }
  | { kind: "before"; positions: Positions }
  | { kind: "after"; positions: Positions };

/** An offset per partition. */
export type Positions = Record<number, number>;

/** Most messages per page. */
export const MAX_PAGE_SIZE = 500;

/** How much a filtered search may read before it stops and says where it got to. */
export interface ScanBudget {
  maxMessages: number;
  maxMs: number;
}

/** The default budget: about ten seconds of reading on a small machine. */
export const DEFAULT_BUDGET: ScanBudget = { maxMessages: 1_000_000, maxMs: 10_000 };

/** The largest budget a request may ask for. */
export const MAX_BUDGET: ScanBudget = { maxMessages: 20_000_000, maxMs: 60_000 };

/** A request for one page. */
export interface BrowseRequest {
  topic: string;
  /** Only this partition; all when undefined. */
  partition?: number;
  seek: Seek;
  /** 1..MAX_PAGE_SIZE. */
  limit: number;
  filter: MessageFilter;
  /** Search an exact key in every partition, not only the one it hashes to. */
  everyPartition?: boolean;
  budget: ScanBudget;
  signal?: AbortSignal;
  /** Progress of a filtered search, at most every `progressEveryMs`. */
  onProgress?: (progress: ScanProgress) => void;
  progressEveryMs?: number;
}

/** One partition as the read saw it. */
export interface PartitionProgress {
  partition: number;
  /** Start and stable end offsets when the read began. */
  low: number;
  high: number;
  /** Next offset the read would look at (moving down for a newest-first search). */
  position: number;
}

/** How far a filtered search got. */
export interface ScanProgress {
  scanned: number;
  matched: number;
  elapsedMs: number;
  partitions: PartitionProgress[];
}

/** Why a filtered search stopped. */
export type ScanStop = "limit" | "end" | "messages" | "time" | "cancelled";

/** The answer. */
export interface MessagePage {
  topic: string;
  /** `newest-first` for newest and `before` pages, `oldest-first` otherwise. */
  order: "newest-first" | "oldest-first";
  messages: MessageView[];
  /** Where the page started in each partition (its cursor: `before` or `after` these). */
  start: Positions;
  partitions: PartitionProgress[];
  /** Cursor of the older page; undefined when every partition's start was reached. */
  older?: Positions;
  /** Cursor of the newer page (new messages may still arrive after the end). */
  newer: Positions;
  /** Whether the newer page would start at the end of every partition. */
  atEnd: boolean;
  /** Set for an exact-key search: the one partition read, out of how many. */
  keyPartition?: { partition: number; partitions: number };
  /** Set for a filtered search. */
  scan?: ScanProgress & { stop: ScanStop };
  stats: ReadStats & { elapsedMs: number };
}
