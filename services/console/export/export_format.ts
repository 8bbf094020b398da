/**
 * An exported record as a line of NDJSON or a row of CSV, written straight
 * from the fetch buffer (no message object per record). Keys, values and
 * header values are text when they are UTF-8, else base64 (NDJSON says so
 * with `keyEncoding`/`valueEncoding`/`headerEncoding`; CSV prefixes
 * `base64:`). The last line says how the export ended and where to resume:
 * NDJSON `{"end": {...}}`, CSV a `#` comment line (read_csv's `comment`).
 */
import { Buffer } from "node:buffer";
import type { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

/** The two formats. */
export type ExportFormat = "ndjson" | "csv";

/** Every format, for the query's problems. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ["ndjson", "csv"];

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes[start, start + length)` as text when it is UTF-8, else undefined. */
function text(bytes: Uint8Array, start: number, length: number): string | undefined {
  try {
    return utf8.decode(bytes.subarray(start, start + length));
  } catch {
    return undefined;
  }
}

function base64(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString("base64");
}

/** The cursor's record as an NDJSON line (with its newline). */
export function ndjsonLine(topic: string, c: RecordCursor, partition: number): string {
  const b = c.bytes;
  const out: Record<string, unknown> = {
    topic,
    partition,
    offset: c.offset,
    timestamp: new Date(c.timestamp).toISOString(),
  };
  for (
    const [field, start, length] of [
      ["key", c.keyStart, c.keyLength],
      ["value", c.valueStart, c.valueLength],
    ] as const
  ) {
    if (length < 0) {
      out[field] = null;
      continue;
    }
    const t = text(b, start, length);
    out[field] = t ?? base64(b, start, length);
    if (t === undefined) out[`${field}Encoding`] = "base64";
  }
  if (c.headerCount > 0) {
    const headers: Record<string, string | null> = {};
    const encoding: Record<string, string> = {};
    c.forEachHeader((ns, nl, vs, vl) => {
      const name = text(b, ns, Math.max(0, nl)) ?? base64(b, ns, Math.max(0, nl));
      if (vl < 0) headers[name] = null;
      else {
        const t = text(b, vs, vl);
        headers[name] = t ?? base64(b, vs, vl);
        if (t === undefined) encoding[name] = "base64";
      }
    });
    out.headers = headers;
    if (Object.keys(encoding).length > 0) out.headerEncoding = encoding;
  }
  return `${JSON.stringify(out)}\n`;
}

/** CSV's header row. */
export const CSV_HEADER = "partition,offset,timestamp,key,value,headers\n";

function csvField(value: string | null): string {
  if (value === null) return "";
  return /[",\r\n#]/.test(value) || value === "" ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The cursor's record as a CSV row (RFC 4180; headers as a JSON object). */
export function csvRow(c: RecordCursor, partition: number): string {
  const b = c.bytes;
  const field = (start: number, length: number): string | null => {
    if (length < 0) return null;
    return text(b, start, length) ?? `base64:${base64(b, start, length)}`;
  };
  let headers = "";
  if (c.headerCount > 0) {
    const h: Record<string, string | null> = {};
    c.forEachHeader((ns, nl, vs, vl) => {
      h[field(ns, Math.max(0, nl)) ?? ""] = field(vs, vl);
    });
    headers = JSON.stringify(h);
  }
  return [
    String(partition),
    String(c.offset),
    new Date(c.timestamp).toISOString(),
    csvField(field(c.keyStart, c.keyLength)),
    csvField(field(c.valueStart, c.valueLength)),
    headers === "" ? "" : csvField(headers),
  ].join(",") + "\n";
}

/** How an export ended, as its last line says. */
export interface ExportEnd {
  /** `end` (the range was read whole), `messages` or `time` (a budget), `cancelled`, `error`. */
  stop: "end" | "messages" | "time" | "cancelled" | "error";
  /** Why the read failed (`error`). */
  error?: string;
  exported: number;
  scanned: number;
  elapsedMs: number;
  /** Each partition's next offset to read. */
  positions: Record<number, number>;
  /** Each partition's end offset when the export began. */
  ends: Record<number, number>;
  /** The URL that exports the rest (same filters, `seek=after` these positions); absent at the end. */
  resume?: string;
}

/** The last line of an export. */
export function endLine(format: ExportFormat, end: ExportEnd): string {
  if (format === "ndjson") return `${JSON.stringify({ end })}\n`;
  const positions = Object.entries(end.positions).map(([p, o]) => `${p}:${o}`).join(",");
  return `# end stop=${end.stop} exported=${end.exported} scanned=${end.scanned} positions=${positions}` +
    `${end.resume ? ` resume=${end.resume}` : ""}\n`;
}
