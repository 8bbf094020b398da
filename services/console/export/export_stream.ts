/**
 * An export: every record of a search's range that matches its filters,
 * streamed as NDJSON or CSV. It reads forward from the search's start (the
 * oldest offset, an offset, a time, or `after` positions — a resume) to the
 * end offsets seen when it began, a chunk per partition at a time, only as
 * fast as the client takes it (a pull stream: a slow reader holds the read
 * back instead of filling the server's memory), within the search budgets
 * (messages exact, time between fetches), and says in its last line how it
 * ended and where to resume.
 */
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { choosePartitions, resolveStart } from "../messages/browse.ts";
import type { BrowseRequest } from "../messages/browse_types.ts";
import { compileFilter } from "../messages/filter.ts";
import { newReadStats, readRanges } from "../messages/range_reader.ts";
import { SCAN_PARTITION_BYTES } from "../messages/scan.ts";
import {
  CSV_HEADER,
  csvRow,
  endLine,
  type ExportEnd,
  type ExportFormat,
  ndjsonLine,
} from "./export_format.ts";

/** Offsets read per partition before the stream hands out what it found. */
export const EXPORT_CHUNK = 10_000;

/** Options of `exportStream`. */
export interface ExportOptions {
  format: ExportFormat;
  /** The URL exporting the rest from `positions`. */
  resumeUrl(positions: Record<number, number>): string;
  /** Called once, however the export ended (a cancelled stream too). */
  onEnd(end: ExportEnd): void;
}

/**
 * The export of `request` (a forward seek) read with `client`: where it
 * starts is resolved first (so a wrong partition or topic fails before any
 * byte is sent), then the stream.
 */
export async function exportStream(
  client: LogClient,
  request: BrowseRequest,
  options: ExportOptions,
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const test = compileFilter(request.filter);
  const stats = newReadStats();
  const abort = new AbortController();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const positions = new Map<number, number>();
  const ends = new Map<number, number>();
  let exported = 0;
  let ended: ExportEnd | undefined;
  const { partitions } = await choosePartitions(client, request);
  const start = await resolveStart(client, request.topic, partitions, request.seek);
  for (const [p, from] of start.offsets) {
    positions.set(p, from);
    ends.set(p, start.marks.get(p)!.high);
  }

  const end = (stop: ExportEnd["stop"], error?: string): ExportEnd => {
    if (ended) return ended;
    const at = Object.fromEntries(positions);
    ended = {
      stop,
      exported,
      scanned: stats.scanned,
      elapsedMs: elapsed(),
      positions: at,
      ends: Object.fromEntries(ends),
      resume: stop === "end" ? undefined : options.resumeUrl(at),
      ...(error ? { error } : {}),
    };
    options.onEnd(ended);
    return ended;
  };
  const finish = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    stop: ExportEnd["stop"],
    error?: string,
  ): true => {
    controller.enqueue(encoder.encode(endLine(options.format, end(stop, error))));
    controller.close();
    return true;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (options.format === "csv") controller.enqueue(encoder.encode(CSV_HEADER));
    },
    // A pull must enqueue something (or close): a stream whose pull resolves with nothing is
    // not pulled again. Chunks without a match are read on until one has, or the export ends.
    async pull(controller) {
      while (!ended) {
        if (await readChunk(controller)) return;
      }
    },
    cancel() {
      abort.abort();
      end("cancelled");
    },
  }, { highWaterMark: 1 });

  /** Reads the next chunk; true when it enqueued lines or ended the export. */
  async function readChunk(
    controller: ReadableStreamDefaultController<Uint8Array>,
  ): Promise<boolean> {
    if (stats.scanned >= request.budget.maxMessages) return finish(controller, "messages");
    if (elapsed() >= request.budget.maxMs) return finish(controller, "time");
    const ranges = [...positions].filter(([p, at]) => at < ends.get(p)!).map(([p, at]) => ({
      partition: p,
      from: at,
      until: Math.min(ends.get(p)!, at + EXPORT_CHUNK),
    }));
    if (ranges.length === 0) return finish(controller, "end");
    const lines: string[] = [];
    const visited = new Map(ranges.map((r) => [r.partition, r.from]));
    let reached: Map<number, number>;
    try {
      reached = await readRanges(client, request.topic, ranges, (c, p) => {
        visited.set(p, c.offset + 1);
        if (!test(c)) return;
        lines.push(
          options.format === "ndjson" ? ndjsonLine(request.topic, c, p) : csvRow(c, p),
        );
      }, {
        partitionMaxBytes: SCAN_PARTITION_BYTES,
        stats,
        maxScanned: request.budget.maxMessages,
        signal: abort.signal,
        proceed: () => elapsed() < request.budget.maxMs,
      });
    } catch (error) {
      // What was read goes out; the last line says where to resume.
      for (const [p, at] of visited) positions.set(p, at);
      exported += lines.length;
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
      return finish(controller, "error", (error as Error)?.message ?? String(error));
    }
    if (ended) return true; // cancelled meanwhile
    let moved = false;
    for (const r of ranges) {
      const at = reached.get(r.partition)!;
      if (at > r.from) moved = true;
      positions.set(r.partition, at);
    }
    if (
      !moved && stats.scanned < request.budget.maxMessages && elapsed() < request.budget.maxMs
    ) {
      // Nothing readable below the ends (transaction markers, compaction): those ranges are done.
      for (const r of ranges) positions.set(r.partition, r.until);
    }
    exported += lines.length;
    if (lines.length === 0) return false;
    controller.enqueue(encoder.encode(lines.join("")));
    return true;
  }
}
