/**
 * Applies one batch of one partition in a single SQLite transaction: every
 * valid message through its handler, every invalid or poison message to the
 * dead-letter outbox, and the partition's next offset. All or nothing.
 */
import { enqueue } from "../outbox/outbox.ts";
import { type DatabaseSync, transaction } from "../sqlite/sqlite.ts";
import { decodeValue } from "./decode.ts";
import { enqueueDeadLetter, type FailedMessage } from "./dead_letter.ts";
import type { BusNote, ConsumerDefinition, TopicHandler } from "./define.ts";
import type { OffsetStore } from "./offsets.ts";

/** A message of the batch, already converted from KafkaJS's shape. */
export interface BatchMessage extends FailedMessage {
  timestamp: number;
}

/** A handler threw for the message at `offset`; the transaction was rolled back. */
export class MessageFailure extends Error {
  constructor(readonly offset: number, override readonly cause: unknown) {
    super(`message at offset ${offset} failed: ${(cause as Error)?.message ?? cause}`);
    this.name = "MessageFailure";
  }
}

/** What a committed batch did. */
export interface BatchOutcome {
  applied: number;
  deadLettered: number;
  /** Bus notifications to publish now that the transaction committed. */
  notes: BusNote[];
  /** Whether the outbox received rows (events or dead letters). */
  enqueued: boolean;
}

/** Everything `applyBatch` needs besides the messages. */
export interface ApplyContext {
  db: DatabaseSync;
  offsets: OffsetStore;
  definition: ConsumerDefinition;
  handler: TopicHandler;
  topic: string;
  partition: number;
  /** Offsets to dead-letter without calling the handler, with the error that condemned them. */
  poison: Map<number, unknown>;
}

/** Runs the batch's transaction; throws MessageFailure (after rollback) if a handler throws. */
export function applyBatch(ctx: ApplyContext, messages: BatchMessage[]): BatchOutcome {
  const { db, definition, handler } = ctx;
  const origin = { consumer: definition.name, groupId: definition.groupId };
  const outcome: BatchOutcome = { applied: 0, deadLettered: 0, notes: [], enqueued: false };
  return transaction(db, () => {
    for (const message of messages) {
      const condemned = ctx.poison.get(message.offset);
      if (condemned !== undefined) {
        enqueueDeadLetter(db, message, condemned, origin);
        outcome.deadLettered++;
        outcome.enqueued = true;
        continue;
      }
      let value: unknown;
      try {
        value = decodeValue(message.value, handler.schema);
      } catch (error) {
        enqueueDeadLetter(db, message, error, origin);
        outcome.deadLettered++;
        outcome.enqueued = true;
        continue;
      }
      try {
        handler.handle({
          db,
          value,
          key: message.key,
          headers: message.headers,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          timestamp: message.timestamp,
          emit(event) {
            outcome.enqueued = true;
            return enqueue(db, event);
          },
          notify(topic, type, data) {
            outcome.notes.push({ topic, type, data });
          },
        });
      } catch (error) {
        throw new MessageFailure(message.offset, error);
      }
      outcome.applied++;
    }
    const last = messages[messages.length - 1];
    ctx.offsets.set(ctx.topic, ctx.partition, last.offset + 1);
    return outcome;
  });
}
