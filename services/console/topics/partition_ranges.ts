/**
 * Each partition's start and end offsets for the console's actions and
 * pages (a group's lag, an offset reset, a purge, a produce to a chosen
 * partition), read partition by partition so that one partition without a
 * leader (its brokers down) is named offline instead of failing the whole
 * read: KafkaJS's `fetchTopicOffsets` throws for the topic then, which the
 * pages answered as a 502. An action that would touch an offline
 * partition is refused with a 503 saying which and what to do.
 */
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { readPartitionOffsets } from "../../../shared/kafka/wire/list_offsets.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import { HttpError } from "../../../shared/web/http_error.ts";

/** One partition's range; an offline one has no leader: nothing can be read or written now. */
export interface PartitionRange {
  partition: number;
  /** The log start offset (0 when offline: unknown). */
  start: number;
  /** The end offset, the high watermark (0 when offline: unknown). */
  end: number;
  offline: boolean;
}

/**
 * Every partition of `topic` with its range, by partition; 404 when the
 * broker does not know the topic. A partition whose leader answered with
 * another error than having none throws (the console's usual 502).
 */
export async function partitionRanges(
  cluster: KafkaCluster,
  topic: string,
): Promise<PartitionRange[]> {
  const metadata = await readTopicMetadata(cluster, [topic], { from: "any" });
  const meta = metadata.topics.find((t) => t.name === topic);
  if (!meta || meta.errorCode !== 0) throw new HttpError(404, `no topic ${topic} on the broker`);
  const leaderless = new Set(meta.partitions.filter((p) => p.leader < 0).map((p) => p.partition));
  const offsets = await readPartitionOffsets(cluster, [meta]);
  return offsets.map((o): PartitionRange => {
    if (leaderless.has(o.partition)) {
      return { partition: o.partition, start: 0, end: 0, offline: true };
    }
    if (o.errorCode !== 0 || o.start === undefined || o.end === undefined) {
      throw new Error(
        `reading the offsets of ${topic} partition ${o.partition}: ${
          o.error ?? `Kafka error code ${o.errorCode}`
        }`,
      );
    }
    return { partition: o.partition, start: o.start, end: o.end, offline: false };
  }).sort((a, b) => a.partition - b.partition);
}

/**
 * Throws 503 when any of `ranges` is offline: `doing` (e.g. "resetting
 * offsets") cannot read or move them until their brokers are back.
 */
export function refuseOffline(ranges: PartitionRange[], topic: string, doing: string): void {
  const offline = ranges.filter((r) => r.offline).map((r) => r.partition);
  if (offline.length === 0) return;
  const which = offline.length === 1 ? "partition" : "partitions";
  throw new HttpError(
    503,
    `${doing}: ${topic} ${which} ${offline.join(", ")} ${
      offline.length === 1 ? "has" : "have"
    } no leader (offline: the brokers holding ${
      offline.length === 1 ? "it" : "them"
    } are down), so ${
      offline.length === 1 ? "its" : "their"
    } offsets cannot be read or moved now. ` +
      `Choose another partition, or try again once the brokers are back.`,
  );
}
