/**
 * A filtered search: a bounded scan. It reads forward from the start to
 * the end offsets seen when it began (oldest-first), or backward in
 * growing windows from the start (newest-first: each window read forward,
 * its matches kept only once the whole window is read), until it has
 * `limit` matches, reaches the end, spends its message or time budget
 * (checked between fetches), or is cancelled. It says where it stopped so
 * the next page continues there; it never reads a whole topic unasked.
 */
import { cursors, progressOf, type Start } from "./read_start.ts";
import type {
  BrowseRequest,
  MessagePage,
  Positions,
  ScanProgress,
  ScanStop,
} from "./browse_types.ts";
import { compileFilter } from "./filter.ts";
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { mergeByTime } from "./merge.ts";
import type { MessageView } from "./message_view.ts";
import { type PartitionRange, readRanges, type ReadStats } from "./range_reader.ts";
import { recordView } from "./record_view.ts";

/**
 * Bytes asked per partition per fetch while scanning (the search, the
 * export, the replay): large fetches, few round trips. 4 MiB, not 8: a
 * search over 1,000,000 records peaked the server at 240 MiB instead of
 * 260–271 (target 256), for 2–13 % of the search's rate in two alternated
 * pairs (docs/performance.md, "Fifth pass").
 */
export const SCAN_PARTITION_BYTES = 4 * 1024 * 1024;
const FIRST_WINDOW = 2_000;
const MAX_WINDOW = 200_000;

type PageBody = Omit<MessagePage, "topic" | "stats" | "keyPartition" | "start">;

/** Runs the filtered search of `request` from `start`. */
export async function scanPage(
  client: LogClient,
  request: BrowseRequest,
  start: Start,
  stats: ReadStats,
  startedAt: number,
): Promise<PageBody> {
  const test = compileFilter(request.filter);
  const lists = new Map<number, MessageView[]>([...start.offsets.keys()].map((p) => [p, []]));
  let matched = 0;
  const elapsed = () => Math.round(performance.now() - startedAt);
  const withinBudget = () =>
    stats.scanned < request.budget.maxMessages && elapsed() < request.budget.maxMs;
  const proceed = () => matched < request.limit && withinBudget();
  let lastProgress = 0;
  const report = (positions: ReadonlyMap<number, number>, force = false) => {
    if (!request.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < (request.progressEveryMs ?? 250)) return;
    lastProgress = now;
    request.onProgress(progress(start, positions, stats, matched, elapsed()));
  };
  const visitInto =
    (into: Map<number, MessageView[]>) => (c: Parameters<typeof test>[0], p: number) => {
      if (!test(c)) return;
      into.get(p)!.push(recordView(c, p));
      matched++;
    };

  if (start.direction === "forward") {
    const ranges: PartitionRange[] = [...start.offsets].map(([partition, from]) => ({
      partition,
      from,
      until: start.marks.get(partition)!.high,
    }));
    const positions = await readRanges(client, request.topic, ranges, visitInto(lists), {
      partitionMaxBytes: SCAN_PARTITION_BYTES,
      maxScanned: request.budget.maxMessages,
      stats,
      signal: request.signal,
      proceed,
      onRound: (at) => report(at),
    });
    report(positions, true);
    const stop = stopReason(
      request,
      stats,
      matched,
      ranges.every((r) => positions.get(r.partition)! >= r.until),
      elapsed(),
    );
    const merged = mergeByTime(lists, "oldest-first", request.limit);
    const older: Positions = {};
    const newer: Positions = {};
    for (const [p, from] of start.offsets) {
      const list = lists.get(p)!;
      const taken = merged.taken.get(p) ?? 0;
      older[p] = from;
      newer[p] = taken < list.length ? list[taken].offset : positions.get(p)!;
    }
    return {
      order: "oldest-first",
      messages: merged.messages,
      partitions: progressOf(start, newer),
      ...cursors(start, older, newer),
      scan: { ...progress(start, positions, stats, matched, elapsed()), stop },
    };
  }

  // Backward: windows below each partition's bottom, growing while nothing stops the search.
  const bottoms = new Map(start.offsets);
  let window = FIRST_WINDOW;
  let stop: ScanStop | undefined;
  while (!stop) {
    const ranges: PartitionRange[] = [];
    for (const [p, bottom] of bottoms) {
      const low = start.marks.get(p)!.low;
      if (bottom > low) {
        ranges.push({ partition: p, from: Math.max(low, bottom - window), until: bottom });
      }
    }
    if (ranges.length === 0) {
      stop = "end";
      break;
    }
    const found = new Map<number, MessageView[]>(ranges.map((r) => [r.partition, []]));
    const before = matched;
    const reached = await readRanges(client, request.topic, ranges, visitInto(found), {
      partitionMaxBytes: SCAN_PARTITION_BYTES,
      maxScanned: request.budget.maxMessages,
      stats,
      signal: request.signal,
      proceed: withinBudget,
      // Newest-first, a partition's position is the bottom of what is fully searched.
      onRound: () => report(bottoms),
    });
    const whole = ranges.every((r) => reached.get(r.partition)! >= r.until);
    if (request.signal?.aborted || (!whole && !withinBudget())) {
      // A window read only in part would leave a hole: its matches wait for the next search.
      matched = before;
      stop = stopReason(request, stats, matched, false, elapsed());
      break;
    }
    for (const r of ranges) {
      lists.get(r.partition)!.push(...found.get(r.partition)!.reverse());
      bottoms.set(r.partition, r.from);
    }
    if (matched >= request.limit) stop = "limit";
    else if (!withinBudget()) stop = stopReason(request, stats, matched, false, elapsed());
    window = Math.min(window * 2, MAX_WINDOW);
  }
  report(bottoms, true);
  const merged = mergeByTime(lists, "newest-first", request.limit);
  const older: Positions = {};
  const newer: Positions = {};
  for (const [p, top] of start.offsets) {
    const list = lists.get(p)!;
    const taken = merged.taken.get(p) ?? 0;
    older[p] = taken < list.length ? list[taken].offset + 1 : bottoms.get(p)!;
    newer[p] = top;
  }
  return {
    order: "newest-first",
    messages: merged.messages,
    partitions: progressOf(start, older),
    ...cursors(start, older, newer),
    scan: { ...progress(start, bottoms, stats, matched, elapsed()), stop },
  };
}

function stopReason(
  request: BrowseRequest,
  stats: ReadStats,
  matched: number,
  reachedEnd: boolean,
  elapsedMs: number,
): ScanStop {
  if (request.signal?.aborted) return "cancelled";
  if (matched >= request.limit) return "limit";
  if (reachedEnd) return "end";
  if (stats.scanned >= request.budget.maxMessages) return "messages";
  if (elapsedMs >= request.budget.maxMs) return "time";
  return "end";
}

function progress(
  start: Start,
  positions: ReadonlyMap<number, number>,
  stats: ReadStats,
  matched: number,
  elapsedMs: number,
): ScanProgress {
  return {
    scanned: stats.scanned,
    matched,
    elapsedMs,
    partitions: [...start.offsets.keys()].map((partition) => ({
      partition,
      ...start.marks.get(partition)!,
      position: positions.get(partition) ?? start.offsets.get(partition)!,
    })),
  };
}
