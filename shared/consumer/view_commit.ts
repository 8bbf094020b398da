/**
 * A view's commit protocol: a chunk's state changes, its dead letters and
 * events (to the outbox) and the partition's next offset commit in one
 * SQLite transaction; the offset moves with a compare-and-set from the
 * stored value the batch was read against (offsets.ts). A partition
 * resumes from its stored offset; one the database has never seen starts
 * at the log's start (`whenNoStoredOffset: "earliest"`) or where the
 * group's committed offset says (`"committed"`).
 */
import { applyBatch, type BatchMessage, type BatchOutcome, chunkContext } from "./apply_batch.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import type { ConsumerDefinition } from "./define.ts";
import type { OffsetStore } from "./offsets.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";
import type { Consumer } from "kafkajs";

/** What a view's protocol needs. */
export interface ViewCommitOptions {
  db: DatabaseSync;
  definition: ConsumerDefinition;
  offsets: OffsetStore;
  /** The KafkaJS consumer, for the copy of the position committed to Kafka (lag display). */
  consumer?: () => Consumer;
}

/** The view protocol for one consumer. */
export function viewCommit(options: ViewCommitOptions): CommitProtocol {
  const { db, definition, offsets } = options;
  return {
    kind: "view",
    position(topic, partition) {
      const stored = offsets.get(topic, partition);
      return Promise.resolve(
        stored ??
          ((definition.whenNoStoredOffset ?? "earliest") === "earliest" ? "earliest" : "committed"),
      );
    },
    expected: (stored) => stored,
    commit(
      messages: BatchMessage[],
      expected: number | undefined,
      poison: Map<number, unknown>,
    ): Promise<BatchOutcome> {
      return Promise.resolve(applyBatch({
        ...chunkContext(db, definition, messages, poison),
        events: "outbox",
        offsets: { store: offsets, expected },
      }, messages));
    },
    async commitPosition(topic, partition, offset, still) {
      if (!still()) return;
      await options.consumer?.().commitOffsets([{ topic, partition, offset: String(offset) }]);
    },
    revoke() {},
    close: () => Promise.resolve(),
  };
}
