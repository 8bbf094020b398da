/**
 * Message filters: a key, value or header that contains or equals a text.
 * Plain byte matching on the message as produced (UTF-8 of the text,
 * case-sensitive) — never a script: a filter language that runs code is how
 * a Kafka console became a remote-code-execution hole (CVE-2023-52251).
 *
 * A compiled filter runs on a `RecordCursor` without copying the record:
 * "contains" searches each batch's bytes natively (Buffer.indexOf) and
 * remembers the next hit, so every byte is searched about once.
 */
import { Buffer } from "node:buffer";
import type { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

/** How a text is compared. */
export type MatchMode = "contains" | "equals";

/** One text to match. */
export interface TextMatch {
  text: string;
  mode: MatchMode;
}

/** The filters of a search; all given ones must match. */
export interface MessageFilter {
  key?: TextMatch;
  value?: TextMatch;
  /** A header with this name (and, when `value` is given, a value matching it). */
  header?: { name: string; value?: TextMatch };
}

/** Whether any filter is set. */
export function hasFilter(filter: MessageFilter): boolean {
  return filter.key !== undefined || filter.value !== undefined || filter.header !== undefined;
}

/** A key filter that names one exact key: only its partition needs reading. */
export function exactKey(filter: MessageFilter): string | undefined {
  return filter.key?.mode === "equals" ? filter.key.text : undefined;
}

const encoder = new TextEncoder();

/** Finds a needle in the current batch's bytes, remembering the next hit. */
class Finder {
  readonly needle: Buffer;
  #bytes: Uint8Array | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #hit = -2; // -2: not searched yet in this batch; -1: no more hits

  constructor(text: string) {
    this.needle = Buffer.from(encoder.encode(text));
  }

  /** Whether the needle occurs within [start, start + length) of `bytes`. */
  within(bytes: Uint8Array, start: number, length: number): boolean {
    const n = this.needle.length;
    if (length < n) return false;
    if (bytes !== this.#bytes) {
      this.#bytes = bytes;
      this.#buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.#hit = -2;
    }
    if (n === 0) return true;
    if (this.#hit === -1) return false;
    if (this.#hit < start) this.#hit = this.#buffer.indexOf(this.needle, start);
    return this.#hit !== -1 && this.#hit <= start + length - n;
  }
}

function equalBytes(bytes: Uint8Array, start: number, length: number, needle: Uint8Array): boolean {
  if (length !== needle.length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== needle[i]) return false;
  return true;
}

type FieldTest = (bytes: Uint8Array, start: number, length: number) => boolean;

function fieldTest(match: TextMatch): FieldTest {
  if (match.mode === "equals") {
    const needle = encoder.encode(match.text);
    return (bytes, start, length) => equalBytes(bytes, start, length, needle);
  }
  const finder = new Finder(match.text);
  return (bytes, start, length) => finder.within(bytes, start, length);
}

/** A filter as a test of the cursor's current record (a null key or value never matches). */
export function compileFilter(filter: MessageFilter): (cursor: RecordCursor) => boolean {
  const tests: ((c: RecordCursor) => boolean)[] = [];
  if (filter.key) {
    const test = fieldTest(filter.key);
    tests.push((c) => c.keyLength >= 0 && test(c.bytes, c.keyStart, c.keyLength));
  }
  if (filter.header) {
    const name = encoder.encode(filter.header.name);
    const valueMatch = filter.header.value;
    const needle = valueMatch ? Buffer.from(encoder.encode(valueMatch.text)) : undefined;
    const contains = valueMatch?.mode === "contains";
    tests.push((c) => {
      if (c.headerCount === 0) return false;
      let found = false;
      c.forEachHeader((nameStart, nameLength, valueStart, valueLength) => {
        if (found || !equalBytes(c.bytes, nameStart, nameLength, name)) return;
        if (!needle) found = true;
        else if (valueLength < 0) return;
        else if (contains) {
          const value = Buffer.from(c.bytes.buffer, c.bytes.byteOffset + valueStart, valueLength);
          found = value.includes(needle);
        } else found = equalBytes(c.bytes, valueStart, valueLength, needle);
      });
      return found;
    });
  }
  if (filter.value) {
    const test = fieldTest(filter.value);
    tests.push((c) => c.valueLength >= 0 && test(c.bytes, c.valueStart, c.valueLength));
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  return (c) => tests.every((t) => t(c));
}
