/**
 * The export of a whole topic through the real web server (HTTP on
 * loopback, a viewer): GET /api/topics/:topic/messages/export as NDJSON,
 * each response read as a stream and its lines counted (never held), the
 * `resume` URL of its last line followed until the export says `end`.
 * The server runs in this process: its resident memory is sampled every
 * 20 ms during the export (the peak, next to the figure just before).
 */
import { startConsoleServer } from "./console_server.ts";

/** What the export bench measured. */
export interface ExportBenchResult {
  /** Records exported (lines, without each response's last). */
  records: number;
  bytes: number;
  /** Responses it took (one per budget). */
  requests: number;
  elapsedMs: number;
  recordsPerSec: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
}

const MiB = 1024 * 1024;

/** Counts one response's lines; returns them and its last line (the end). */
async function countLines(body: ReadableStream<Uint8Array>) {
  let lines = 0;
  let bytes = 0;
  let tail = new Uint8Array(0);
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    let last = -1;
    for (let i = 0; i < chunk.byteLength; i++) {
      if (chunk[i] === 10) {
        lines++;
        last = i;
      }
    }
    // Keep what follows the last-but-one newline: the end line arrives last.
    const joined = new Uint8Array(tail.byteLength + chunk.byteLength);
    joined.set(tail);
    joined.set(chunk, tail.byteLength);
    tail = last >= 0 && joined.byteLength > 65_536 ? joined.slice(-65_536) : joined;
  }
  const text = new TextDecoder().decode(tail).trimEnd();
  return { lines, bytes, end: JSON.parse(text.slice(text.lastIndexOf("\n") + 1)).end };
}

/** Exports `topic` whole (`maxMessages`, `maxMs`: each response's budget). */
export async function exportBench(options: {
  topic: string;
  dataDir: string;
  maxMessages?: number;
  maxMs?: number;
}): Promise<ExportBenchResult> {
  const server = await startConsoleServer(options.dataDir);
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 20);
  try {
    const before = Deno.memoryUsage().rss;
    const started = performance.now();
    let url: string | undefined = `/api/topics/${encodeURIComponent(options.topic)}/messages/` +
      `export?format=ndjson&maxMessages=${options.maxMessages ?? 20_000_000}&maxMs=${
        options.maxMs ?? 60_000
      }`;
    let records = 0;
    let bytes = 0;
    let requests = 0;
    while (url) {
      const res: Response = await fetch(`${server.url}${url}`, { headers: server.headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      const counted = await countLines(res.body!);
      requests++;
      records += counted.lines - 1;
      bytes += counted.bytes;
      if (counted.end.exported !== counted.lines - 1) {
        throw new Error(`${url}: ${counted.lines - 1} lines, the end says ${counted.end.exported}`);
      }
      url = counted.end.resume;
    }
    const elapsedMs = performance.now() - started;
    peak = Math.max(peak, Deno.memoryUsage().rss);
    return {
      records,
      bytes,
      requests,
      elapsedMs,
      recordsPerSec: records / (elapsedMs / 1000),
      rssBeforeMiB: before / MiB,
      rssPeakMiB: peak / MiB,
    };
  } finally {
    clearInterval(sampler);
    await server.close();
  }
}
