/**
 * One message by partition and offset: for permalinks and the full value
 * of a message whose value a page cut. Reads just the batch holding it.
 */
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import type { MessageView } from "./message_view.ts";
import { newReadStats, readRanges } from "./range_reader.ts";
import { recordView } from "./record_view.ts";

/** What `readOne` found at partition/offset, or undefined when no message has that offset. */
export interface FoundMessage {
  view: MessageView;
  /** The value's bytes, whole (null for a tombstone). */
  value: Uint8Array<ArrayBuffer> | null;
}

/** Reads the message at `offset` of `partition`. */
export async function readOne(
  client: LogClient,
  topic: string,
  partition: number,
  offset: number,
): Promise<FoundMessage | undefined> {
  const partitions = await client.partitions(topic);
  if (!partitions.includes(partition)) {
    throw new RangeError(`topic ${topic} has no partition ${partition}`);
  }
  const marks = (await client.watermarks(topic, [partition])).get(partition)!;
  if (offset < marks.low || offset >= marks.high) return undefined;
  let found: FoundMessage | undefined;
  await readRanges(client, topic, [{ partition, from: offset, until: offset + 1 }], (c, p) => {
    if (c.offset !== offset) return;
    found = {
      view: recordView(c, p),
      value: c.valueLength < 0
        ? null
        : new Uint8Array(c.bytes.subarray(c.valueStart, c.valueStart + c.valueLength)),
    };
  }, { partitionMaxBytes: 1024 * 1024, stats: newReadStats() });
  return found;
}
