/**
 * A processor's commit protocol: a chunk is applied to SQLite (the
 * instance's own records) with its events collected, then the events and
 * the partition's next offset commit in one Kafka transaction
 * (transactions.ts); the stored offset follows, so a rewind of the group
 * replays nothing this instance decided. A partition resumes where the
 * group's committed offset says, read only after this instance's producer
 * for it has fenced the previous owner in.
 */
import type { Admin } from "kafkajs";
import { applyBatch, type BatchMessage, type BatchOutcome, chunkContext } from "./apply_batch.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import type { ConsumerDefinition } from "./define.ts";
import type { OffsetStore } from "./offsets.ts";
import type { PartitionTransactions } from "./transactions.ts";
import { type DatabaseSync, transaction } from "../sqlite/sqlite.ts";

/** What a processor's protocol needs. */
export interface ProcessorCommitOptions {
  db: DatabaseSync;
  definition: ConsumerDefinition;
  offsets: OffsetStore;
  transactions: PartitionTransactions;
  admin: () => Admin;
}

/** The group's committed offset of one partition (-1 when none). */
export async function committedOffset(
  admin: Admin,
  groupId: string,
  topic: string,
  partition: number,
): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(offsets.partitions.find((p) => p.partition === partition)?.offset ?? -1);
}

/** The processor protocol for one consumer. */
export function processorCommit(options: ProcessorCommitOptions): CommitProtocol {
  const { db, definition, offsets, transactions } = options;
  return {
    kind: "processor",
    async position(topic, partition) {
      // Fence the previous owner first, then read the offset it may just have committed.
      await transactions.init(topic, partition);
      const committed = await committedOffset(
        options.admin(),
        definition.groupId,
        topic,
        partition,
      );
      return committed >= 0 ? committed : "earliest";
    },
    expected: () => undefined,
    async commit(
      messages: BatchMessage[],
      _expected: number | undefined,
      poison: Map<number, unknown>,
    ): Promise<BatchOutcome> {
      const { topic, partition } = messages[0];
      const outcome = applyBatch(
        { ...chunkContext(db, definition, messages, poison), events: "collect" },
        messages,
      );
      const next = messages[messages.length - 1].offset + 1;
      await transactions.commit(topic, partition, outcome.events, next);
      transaction(db, () => offsets.set(topic, partition, next));
      return outcome;
    },
    commitPosition(topic, partition, offset, still) {
      return transactions.commit(topic, partition, [], offset, still);
    },
    revoke(topic, partition) {
      void transactions.close(topic, partition);
    },
    close: () => transactions.closeAll(),
  };
}
