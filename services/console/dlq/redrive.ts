/**
 * Redrive: dead letters sent back to their original topic — one, a
 * selection, or all matching a filter (a bounded scan of the DLQ) — with
 * their key, value and original headers (the dead-letter headers of every
 * convention dropped: Freshet's `dlq_*` and CloudEvents headers, with
 * `original_ce_*` restored to `ce_*`, Spring's `kafka_dlt-*`, Connect's
 * `__connect.errors.*`) plus headers recording the redrive
 * (REDRIVE_HEADERS). The original topic is the one the dead letter's
 * headers name (conventions.ts); a Freshet `<topic>.dlq` only ever goes
 * back to `<topic>`, and nothing goes to Kafka's internal topics (`__*`). Each dead letter is
 * claimed in the redrive log before it is sent, so it goes back at most
 * once unless `repeat` is set; a message that had been redriven before and
 * failed again (it carries a redrive count) also needs `repeat`, so a
 * message that keeps failing never loops.
 */
import { Buffer } from "node:buffer";
import type { Producer } from "kafkajs";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import { compileFilter, type MessageFilter } from "../messages/filter.ts";
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { newReadStats, type PartitionRange, readRanges } from "../messages/range_reader.ts";
import { bytesView, type HeaderView } from "../messages/message_view.ts";
import { deadLetterInfo, REDRIVE_HEADERS } from "./dead_letter_info.ts";
import { type RawRecord, rawRecord } from "./raw_record.ts";
import { claimRedrive, redriveRecords, settleRedrive } from "./redrive_log.ts";
import { isConventionHeader, isDeadLetterTopic } from "./conventions.ts";

/** Suffix of dead-letter topics. */
export const DLQ_SUFFIX = ".dlq";

/** Why `topic` is refused as a dead-letter topic. */
export function notDeadLetterTopic(topic: string): string {
  return `${topic} is not a dead-letter topic (its name must end in .dlq, .DLT, -dlt, -dlq or ` +
    "start with dlq- or dlt-)";
}

/** Most dead letters one request redrives. */
export const MAX_REDRIVE = 10_000;

/** What to redrive. */
export interface RedriveRequest {
  dlqTopic: string;
  /** These dead letters; or, when absent, every one matching `filter`. */
  messages?: { partition: number; offset: number }[];
  filter?: MessageFilter;
  /** Send again dead letters redriven before. */
  repeat: boolean;
  /** Messages a filtered redrive may scan (default 1,000,000). */
  maxScanned?: number;
  /**
   * A filtered redrive reads each partition only below this offset (a
   * partition not named: none of it), e.g. the ends its plan counted to,
   * so what is confirmed is what was counted.
   */
  until?: Record<number, number>;
}

/** What happened to each dead letter. */
export interface RedriveResult {
  /** The original topic (Freshet's `.dlq`: the name without it; else the first one redriven to). */
  topic: string;
  redriven: {
    partition: number;
    offset: number;
    redrive: number;
    to: { topic: string; partition: number; offset: number };
  }[];
  skipped: { partition: number; offset: number; reason: string }[];
  failed: { partition: number; offset: number; error: string }[];
  /** A filtered redrive: how much of the DLQ it read, and whether all of it. */
  scanned?: { messages: number; complete: boolean };
  /** A filtered redrive: the offset it read each partition up to (exclusive). */
  until?: Record<number, number>;
}

/** What a redrive would do, changing nothing (`planRedrive`). */
export interface RedrivePlan {
  /** As RedriveResult's. */
  topic: string;
  /** Dead letters that would go back, and where. */
  count: number;
  targets: { topic: string; count: number }[];
  /** Those that would be skipped, with why. */
  skipped: { partition: number; offset: number; reason: string }[];
  scanned?: { messages: number; complete: boolean };
  /** Give it back as the redrive's `until` to redrive exactly what was counted. */
  until?: Record<number, number>;
}

/** What a redrive needs. */
export interface RedriveDeps {
  reader: LogClient;
  producer(): Promise<Producer>;
  db: DatabaseSync;
  user: string | null;
}

const OWN_HEADERS = new Set(["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time"]);
const REDRIVE_NAMES = new Set<string>(Object.values(REDRIVE_HEADERS));

/** The headers the redriven message carries. */
export function redriveHeaders(
  record: RawRecord,
  extra: { of: string; count: number; at: string; by: string | null },
): Record<string, Buffer | string> {
  const out: Record<string, Buffer | string> = {};
  for (const [name, value] of record.headers) {
    if (
      value === null || isConventionHeader(name) || OWN_HEADERS.has(name) ||
      REDRIVE_NAMES.has(name)
    ) {
      continue;
    }
    const restored = name.startsWith("original_ce_") ? name.slice("original_".length) : name;
    out[restored] = Buffer.from(value);
  }
  out[REDRIVE_HEADERS.of] = extra.of;
  out[REDRIVE_HEADERS.count] = String(extra.count);
  out[REDRIVE_HEADERS.at] = extra.at;
  if (extra.by) out[REDRIVE_HEADERS.by] = extra.by;
  return out;
}

function headerViews(record: RawRecord): HeaderView[] {
  return record.headers.map(([name, value]) => ({
    name,
    value: value === null ? null : bytesView(value, 4096),
  }));
}

async function selected(
  reader: LogClient,
  request: RedriveRequest,
  result: RedriveResult,
): Promise<RawRecord[]> {
  const wanted = new Map<number, Set<number>>();
  for (const { partition, offset } of request.messages ?? []) {
    wanted.set(partition, (wanted.get(partition) ?? new Set()).add(offset));
  }
  const partitions = await reader.partitions(request.dlqTopic);
  const marks = await reader.watermarks(request.dlqTopic, partitions);
  const found: RawRecord[] = [];
  const ranges: PartitionRange[] = [];
  for (const [partition, offsets] of wanted) {
    const m = marks.get(partition);
    for (const offset of offsets) {
      if (!m || offset < m.low || offset >= m.high) {
        result.skipped.push({ partition, offset, reason: "no such dead letter" });
        offsets.delete(offset);
      }
    }
    if (offsets.size === 0) continue;
    const sorted = [...offsets].sort((a, b) => a - b);
    ranges.push({ partition, from: sorted[0], until: sorted.at(-1)! + 1 });
  }
  await readRanges(reader, request.dlqTopic, ranges, (c, p) => {
    if (wanted.get(p)?.has(c.offset)) found.push(rawRecord(c, p));
  }, { partitionMaxBytes: 1024 * 1024, stats: newReadStats() });
  const seen = new Set(found.map((r) => `${r.partition}:${r.offset}`));
  for (const [partition, offsets] of wanted) {
    for (const offset of offsets) {
      if (!seen.has(`${partition}:${offset}`)) {
        result.skipped.push({ partition, offset, reason: "no such dead letter" });
      }
    }
  }
  return found;
}

async function matching(
  reader: LogClient,
  request: RedriveRequest,
  result: RedriveResult,
): Promise<RawRecord[]> {
  const test = compileFilter(request.filter ?? {});
  const marks = await reader.watermarks(request.dlqTopic);
  const stats = newReadStats();
  const found: RawRecord[] = [];
  const bound = (partition: number, high: number) =>
    request.until === undefined ? high : Math.min(high, request.until[partition] ?? 0);
  const ranges = [...marks].map(([partition, m]) => ({
    partition,
    from: m.low,
    until: Math.max(m.low, bound(partition, m.high)),
  }));
  result.until = Object.fromEntries(ranges.map((r) => [r.partition, r.until]));
  const maxScanned = request.maxScanned ?? 1_000_000;
  const reached = await readRanges(reader, request.dlqTopic, ranges, (c, p) => {
    if (found.length < MAX_REDRIVE && test(c)) found.push(rawRecord(c, p));
  }, {
    partitionMaxBytes: 8 * 1024 * 1024,
    stats,
    maxScanned,
    proceed: () => found.length < MAX_REDRIVE,
  });
  result.scanned = {
    messages: stats.scanned,
    complete: found.length < MAX_REDRIVE &&
      ranges.every((r) => reached.get(r.partition)! >= r.until),
  };
  return found;
}

function definitelyRefused(error: unknown): boolean {
  return (error as { name?: string })?.name === "KafkaJSProtocolError";
}

/** Where a dead letter goes back to, or why it may not (before the redrive log is asked). */
function destination(
  record: RawRecord,
  freshet: string | null,
  repeat: boolean,
):
  | { target: string; info: ReturnType<typeof deadLetterInfo> }
  | { reason: string; target?: string } {
  const info = deadLetterInfo(headerViews(record));
  const target = info.originalTopic;
  if (target === null) {
    return {
      reason: "its headers name no original topic (Freshet, Spring Kafka or Kafka Connect headers)",
    };
  }
  if (freshet !== null && info.convention === "freshet" && target !== freshet) {
    return { reason: `its headers name ${target}, not ${freshet}` };
  }
  if (target.startsWith("__")) {
    return {
      reason: `its headers name ${target}, an internal topic, which the console never writes`,
    };
  }
  if (info.previousRedrive && !repeat) {
    return {
      target,
      reason:
        `it failed again after redrive ${info.previousRedrive.count} (repeat to send it again)`,
    };
  }
  return { target, info };
}

function alreadyRedriven(record: { at: string; user: string | null }): string {
  return `already redriven at ${record.at}${
    record.user ? ` by ${record.user}` : ""
  } (repeat to send it again)`;
}

function freshetTopicOf(dlqTopic: string): string | null {
  if (!isDeadLetterTopic(dlqTopic)) throw new RangeError(notDeadLetterTopic(dlqTopic));
  return dlqTopic.endsWith(DLQ_SUFFIX) ? dlqTopic.slice(0, -DLQ_SUFFIX.length) : null;
}

/** The dead letters `request` selects, and the result they are reported in. */
async function selection(reader: LogClient, request: RedriveRequest) {
  const freshet = freshetTopicOf(request.dlqTopic);
  const result: RedriveResult = { topic: freshet ?? "", redriven: [], skipped: [], failed: [] };
  const records = request.messages
    ? await selected(reader, request, result)
    : await matching(reader, request, result);
  return { freshet, result, records };
}

/** Each record that may go back, with where; the others are skipped into `result` with why. */
function* sendable(
  records: RawRecord[],
  freshet: string | null,
  request: RedriveRequest,
  result: RedriveResult,
) {
  for (const record of records) {
    const where = destination(record, freshet, request.repeat);
    if (where.target) result.topic ||= where.target;
    if ("reason" in where) {
      result.skipped.push({
        partition: record.partition,
        offset: record.offset,
        reason: where.reason,
      });
      continue;
    }
    yield { record, target: where.target, info: where.info };
  }
}

/**
 * What `request` would redrive, changing nothing: how many dead letters go
 * back, to which topics, which would be skipped and why (the redrive log
 * read, not claimed), and the offsets it read up to.
 */
export async function planRedrive(
  deps: Pick<RedriveDeps, "reader" | "db">,
  request: RedriveRequest,
): Promise<RedrivePlan> {
  const { result, records, freshet } = await selection(deps.reader, request);
  const log = redriveRecords(deps.db, request.dlqTopic, records);
  const targets = new Map<string, number>();
  for (
    const { record: { partition, offset }, target } of sendable(records, freshet, request, result)
  ) {
    const before = log.get(`${partition}:${offset}`);
    if (before && before.state !== "refused" && !request.repeat) {
      result.skipped.push({ partition, offset, reason: alreadyRedriven(before) });
      continue;
    }
    targets.set(target, (targets.get(target) ?? 0) + 1);
  }
  return {
    topic: result.topic,
    count: [...targets.values()].reduce((a, b) => a + b, 0),
    targets: [...targets].map(([topic, count]) => ({ topic, count })),
    skipped: result.skipped,
    scanned: result.scanned,
    until: result.until,
  };
}

/** Redrives what `request` selects. */
export async function redrive(deps: RedriveDeps, request: RedriveRequest): Promise<RedriveResult> {
  const { dlqTopic } = request;
  const { result, records, freshet } = await selection(deps.reader, request);
  for (const { record, target, info } of sendable(records, freshet, request, result)) {
    const { partition, offset } = record;
    const ref = { dlqTopic, partition, offset };
    const claim = claimRedrive(deps.db, ref, {
      targetTopic: target,
      user: deps.user,
      repeat: request.repeat,
    });
    if (!claim.claimed) {
      result.skipped.push({ partition, offset, reason: alreadyRedriven(claim.record) });
      continue;
    }
    const headers = redriveHeaders(record, {
      of: `${dlqTopic}/${partition}/${offset}`,
      count: (info.previousRedrive?.count ?? 0) + claim.redrive,
      at: new Date().toISOString(),
      by: deps.user,
    });
    try {
      const producer = await deps.producer();
      const [sent] = await producer.send({
        topic: target,
        acks: -1,
        messages: [{
          key: record.key === null ? null : Buffer.from(record.key),
          value: record.value === null ? null : Buffer.from(record.value),
          headers,
        }],
      });
      const to = { topic: target, partition: sent.partition, offset: Number(sent.baseOffset) };
      settleRedrive(deps.db, ref, { sent: to });
      result.redriven.push({ partition, offset, redrive: claim.redrive, to });
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      settleRedrive(
        deps.db,
        ref,
        definitelyRefused(error) ? { refused: message } : { unknown: message },
      );
      result.failed.push({ partition, offset, error: message });
    }
  }
  return result;
}
