/**
 * A replay's range in offsets: each partition's `[from, until)` resolved
 * from the request's bounds once, when it is planned (the end offsets and
 * the times' offsets of that moment), so a resumed replay reads exactly the
 * range the first run was given; and the dry run over it — how many
 * records match, a sample of the first few, within a scan budget.
 */
import type { LogClient, Watermarks } from "../../../shared/kafka/wire/log_client.ts";
import { compileFilter } from "../messages/filter.ts";
import type { MessageView } from "../messages/message_view.ts";
import { newReadStats, readRanges } from "../messages/range_reader.ts";
import { recordView } from "../messages/record_view.ts";
import { SCAN_PARTITION_BYTES } from "../messages/scan.ts";
import type { ReplayFrom, ReplayRequest, ReplayUntil } from "./replay_input.ts";

/** One partition's range. */
export interface ReplayRange {
  partition: number;
  from: number;
  /** Exclusive. */
  until: number;
}

const clamp = (n: number, m: Watermarks) => Math.min(Math.max(n, m.low), m.high);

async function offsetsAt(
  client: LogClient,
  topic: string,
  bound: ReplayFrom | ReplayUntil,
  marks: Map<number, Watermarks>,
): Promise<Map<number, number>> {
  const partitions = [...marks.keys()];
  const each = (f: (m: Watermarks, p: number) => number) =>
    new Map([...marks].map(([p, m]) => [p, f(m, p)]));
  switch (bound.kind) {
    case "oldest":
      return each((m) => m.low);
    case "end":
      return each((m) => m.high);
    case "offset":
      return each((m) => clamp(bound.offset, m));
    case "timestamp": {
      const found = await client.offsetsForTimestamp(topic, bound.timestampMs, partitions);
      return each((m, p) => {
        const at = found.get(p) ?? -1;
        return at < 0 ? m.high : clamp(at, m);
      });
    }
  }
}

/** The ranges `request` names on `topic` now (a RangeError for a partition it lacks). */
export async function planReplay(
  client: LogClient,
  topic: string,
  request: Pick<ReplayRequest, "partition" | "from" | "until">,
): Promise<ReplayRange[]> {
  const all = await client.partitions(topic);
  if (request.partition !== undefined && !all.includes(request.partition)) {
    throw new RangeError(
      `topic ${topic} has no partition ${request.partition} (it has ${all.length})`,
    );
  }
  const partitions = request.partition === undefined ? all : [request.partition];
  const marks = await client.watermarks(topic, partitions);
  const from = await offsetsAt(client, topic, request.from, marks);
  const until = await offsetsAt(client, topic, request.until, marks);
  return partitions.map((p) => ({
    partition: p,
    from: from.get(p)!,
    until: Math.max(from.get(p)!, until.get(p)!),
  }));
}

/** Records a dry run reads at most unless told otherwise. */
export const DRY_RUN_MAX_SCANNED = 1_000_000;
/** Time a dry run reads at most. */
export const DRY_RUN_MAX_MS = 10_000;
/** Records a dry run shows. */
export const SAMPLE_SIZE = 10;

/** What a dry run found. */
export interface DryRun {
  ranges: ReplayRange[];
  /** Offsets in the ranges (an upper bound of what could be copied: compaction leaves gaps). */
  offsets: number;
  scanned: number;
  /** Records matching the filters among those scanned. */
  matching: number;
  /** Whether the ranges were read whole (else `matching` is a lower bound). */
  complete: boolean;
  sample: MessageView[];
  elapsedMs: number;
}

/** Counts and samples what replaying `ranges` of `topic` with `request`'s filters would copy. */
export async function dryRunReplay(
  client: LogClient,
  topic: string,
  request: Pick<ReplayRequest, "filter">,
  ranges: ReplayRange[],
  budget: { maxScanned?: number; maxMs?: number } = {},
): Promise<DryRun> {
  const started = performance.now();
  const maxMs = budget.maxMs ?? DRY_RUN_MAX_MS;
  const test = compileFilter(request.filter);
  const stats = newReadStats();
  const sample: MessageView[] = [];
  let matching = 0;
  const reached = await readRanges(client, topic, ranges, (c, p) => {
    if (!test(c)) return;
    matching++;
    if (sample.length < SAMPLE_SIZE) sample.push(recordView(c, p));
  }, {
    partitionMaxBytes: SCAN_PARTITION_BYTES,
    stats,
    maxScanned: budget.maxScanned ?? DRY_RUN_MAX_SCANNED,
    proceed: () => performance.now() - started < maxMs,
  });
  sample.sort((a, b) => a.timestamp - b.timestamp);
  return {
    ranges,
    offsets: ranges.reduce((n, r) => n + r.until - r.from, 0),
    scanned: stats.scanned,
    matching,
    complete: ranges.every((r) => reached.get(r.partition)! >= r.until),
    sample,
    elapsedMs: Math.round(performance.now() - started),
  };
}
