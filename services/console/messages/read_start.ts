/**
 * Where a page or a scan starts reading in each partition and which way it
 * goes, and what it reports back: each partition's progress and the
 * cursors to the older and newer pages.
 */
import type { Watermarks } from "../../../shared/kafka/wire/log_client.ts";
import type { PartitionProgress, Positions } from "./browse_types.ts";

/** Where reading starts in each partition, and which way it goes. */
export interface Start {
  direction: "backward" | "forward";
  /** Exclusive upper bound (backward) or first offset (forward), per partition. */
  offsets: Map<number, number>;
  marks: Map<number, Watermarks>;
}

/** Each partition's watermarks and the position the page ended at. */
export function progressOf(start: Start, positions: Positions): PartitionProgress[] {
  return [...start.offsets.keys()].map((partition) => ({
    partition,
    ...start.marks.get(partition)!,
    position: positions[partition],
  }));
}

/** The older/newer cursors, without `older` when every partition's start is reached. */
export function cursors(
  start: Start,
  older: Positions,
  newer: Positions,
): { older?: Positions; newer: Positions; atEnd: boolean } {
  const entries = [...start.marks];
  const hasOlder = entries.some(([p, m]) => older[p] !== undefined && older[p] > m.low);
  const atEnd = entries.every(([p, m]) => newer[p] === undefined || newer[p] >= m.high);
  return { older: hasOlder ? older : undefined, newer, atEnd };
}
