/**
 * The message browser's engine: one page of a topic from a start point,
 * never by scanning. The newest N come from each partition's end offset
 * minus N; the oldest, an offset or a time from ListOffsets; each page
 * reads at most `limit` messages per partition (a little more where
 * compaction left gaps). Filtered pages are bounded scans (scan.ts).
 */
import { exactKey, hasFilter } from "./filter.ts";
import { keyPartition } from "../../../shared/kafka/key_partition.ts";
import type { LogClient, Watermarks } from "../../../shared/kafka/wire/log_client.ts";
import { mergeByTime } from "./merge.ts";
import type { MessageView } from "./message_view.ts";
import { newReadStats, type PartitionRange, readRanges, type ReadStats } from "./range_reader.ts";
import { recordView } from "./record_view.ts";
import { scanPage } from "./scan.ts";
import { cursors, progressOf, type Start } from "./read_start.ts";
import type { BrowseRequest, MessagePage, Positions, Seek } from "./browse_types.ts";

/** Bytes asked per partition per fetch for a page: about a producer batch. */
const PAGE_PARTITION_BYTES = 1024 * 1024;
/** Rounds of reading further back (or on) when compaction left gaps in a range. */
const GAP_ROUNDS = 4;

const clamp = (n: number, m: Watermarks) => Math.min(Math.max(n, m.low), m.high);

function fromPositions(positions: Positions, marks: Map<number, Watermarks>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [p, m] of marks) {
    const at = positions[p];
    if (at !== undefined) out.set(p, clamp(at, m));
  }
  return out;
}

/** Resolves `seek` into start offsets of `partitions`. */
export async function resolveStart(
  client: LogClient,
  topic: string,
  partitions: number[],
  seek: Seek,
): Promise<Start> {
  const marks = await client.watermarks(topic, partitions);
  const each = (f: (m: Watermarks, p: number) => number) =>
    new Map([...marks].map(([p, m]) => [p, f(m, p)]));
  switch (seek.kind) {
    case "newest":
      return { direction: "backward", offsets: each((m) => m.high), marks };
    case "before":
      return { direction: "backward", offsets: fromPositions(seek.positions, marks), marks };
    case "oldest":
      return { direction: "forward", offsets: each((m) => m.low), marks };
    case "offset":
      return { direction: "forward", offsets: each((m) => clamp(seek.offset, m)), marks };
    case "after":
      return { direction: "forward", offsets: fromPositions(seek.positions, marks), marks };
    case "timestamp": {
      const found = await client.offsetsForTimestamp(topic, seek.timestampMs, partitions);
      return {
        direction: "forward",
        offsets: each((m, p) => {
          const at = found.get(p) ?? -1;
          return at < 0 ? m.high : clamp(at, m);
        }),
        marks,
      };
    }
  }
}

/** The partitions a request reads, and the key's partition for an exact-key search. */
export async function choosePartitions(
  client: LogClient,
  request: BrowseRequest,
): Promise<{ partitions: number[]; keyPartition?: MessagePage["keyPartition"] }> {
  const all = await client.partitions(request.topic);
  if (request.partition !== undefined) {
    if (!all.includes(request.partition)) {
      throw new RangeError(
        `topic ${request.topic} has no partition ${request.partition} (it has ${all.length})`,
      );
    }
    return { partitions: [request.partition] };
  }
  const key = exactKey(request.filter);
  if (key !== undefined && !request.everyPartition) {
    const partition = keyPartition(key, all.length);
    return { partitions: [partition], keyPartition: { partition, partitions: all.length } };
  }
  return { partitions: all };
}

/** Reads one page as `request` asks. */
export async function browse(client: LogClient, request: BrowseRequest): Promise<MessagePage> {
  const started = performance.now();
  const stats = newReadStats();
  const { partitions, keyPartition } = await choosePartitions(client, request);
  const start = await resolveStart(client, request.topic, partitions, request.seek);
  const page = hasFilter(request.filter)
    ? await scanPage(client, request, start, stats, started)
    : await unfilteredPage(client, request, start, stats);
  return {
    ...page,
    topic: request.topic,
    start: Object.fromEntries(start.offsets),
    keyPartition,
    stats: { ...stats, elapsedMs: Math.round(performance.now() - started) },
  };
}

/** Reads `limit` messages per partition from the start (backward: below it), with gap rounds. */
async function unfilteredPage(
  client: LogClient,
  request: BrowseRequest,
  start: Start,
  stats: ReadStats,
): Promise<Omit<MessagePage, "topic" | "stats" | "start">> {
  const backward = start.direction === "backward";
  const lists = new Map<number, MessageView[]>([...start.offsets.keys()].map((p) => [p, []]));
  const edges = new Map(start.offsets); // backward: lowest offset read; forward: next to read
  for (let round = 0; round < GAP_ROUNDS; round++) {
    const ranges: PartitionRange[] = [];
    for (const [p, edge] of edges) {
      const need = request.limit - lists.get(p)!.length;
      const m = start.marks.get(p)!;
      if (need <= 0 || (backward ? edge <= m.low : edge >= m.high)) continue;
      const span = need * 2 ** round;
      ranges.push(
        backward
          ? { partition: p, from: Math.max(m.low, edge - span), until: edge }
          : { partition: p, from: edge, until: Math.min(m.high, edge + span) },
      );
    }
    if (ranges.length === 0) break;
    const got = new Map<number, MessageView[]>(ranges.map((r) => [r.partition, []]));
    await readRanges(client, request.topic, ranges, (c, p) => {
      got.get(p)!.push(recordView(c, p));
    }, { partitionMaxBytes: PAGE_PARTITION_BYTES, stats, signal: request.signal });
    for (const r of ranges) {
      const list = lists.get(r.partition)!;
      const read = got.get(r.partition)!;
      if (backward) list.push(...read.reverse());
      else list.push(...read);
      list.length = Math.min(list.length, request.limit);
      edges.set(r.partition, backward ? r.from : r.until);
    }
  }
  const order = backward ? "newest-first" : "oldest-first";
  const merged = mergeByTime(lists, order, request.limit);
  const older: Positions = {};
  const newer: Positions = {};
  for (const [p, offset] of start.offsets) {
    const list = lists.get(p)!;
    const taken = merged.taken.get(p) ?? 0;
    if (backward) {
      older[p] = taken > 0 ? list[taken - 1].offset : offset;
      newer[p] = offset;
    } else {
      older[p] = offset;
      newer[p] = taken > 0 ? list[taken - 1].offset + 1 : offset;
    }
  }
  return {
    order,
    messages: merged.messages,
    partitions: progressOf(start, backward ? older : newer),
    ...cursors(start, older, newer),
  };
}
