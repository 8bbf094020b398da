/**
 * Merges per-partition message lists into one page by timestamp. Each
 * partition's list stays in offset order (a producer's clock may go
 * backwards), so what a page takes from a partition is always a run at the
 * start of that partition's list and the next page's cursor is exact.
 */
import type { MessageView } from "./message_view.ts";

/** What `mergeByTime` took. */
export interface Merged {
  messages: MessageView[];
  /** How many of each partition's list were taken. */
  taken: Map<number, number>;
}

/**
 * Up to `limit` messages from `lists` (each in reading order: offsets
 * descending for newest-first, ascending for oldest-first), picking the
 * newest (or oldest) head each time; ties go to the lower partition.
 */
export function mergeByTime(
  lists: Map<number, MessageView[]>,
  order: "newest-first" | "oldest-first",
  limit: number,
): Merged {
  const heads = new Map([...lists.keys()].map((p) => [p, 0]));
  const messages: MessageView[] = [];
  const newestFirst = order === "newest-first";
  while (messages.length < limit) {
    let best: number | undefined;
    let bestTime = 0;
    for (const [partition, list] of lists) {
      const at = heads.get(partition)!;
      if (at >= list.length) continue;
      const time = list[at].timestamp;
      if (
        best === undefined || (newestFirst ? time > bestTime : time < bestTime) ||
        (time === bestTime && partition < best)
      ) {
        best = partition;
        bestTime = time;
      }
    }
    if (best === undefined) break;
    const at = heads.get(best)!;
    messages.push(lists.get(best)![at]);
    heads.set(best, at + 1);
  }
  return { messages, taken: heads };
}
