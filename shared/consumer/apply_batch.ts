/**
 * Applies messages of one partition in a single SQLite transaction: every
 * valid message through its handler, every invalid or condemned message to
 * its dead-letter topic, and (for a view) the partition's next offset,
 * moved with a compare-and-set. All or nothing.
 *
 * Where events go depends on the kind of consumer: a view writes them to
 * its outbox in this transaction; a processor collects them, and the runner
 * sends them in the batch's Kafka transaction with the consumed offsets.
 */
import { enqueue, type OutboxEvent } from "../outbox/outbox.ts";
import { type DatabaseSync, transaction } from "../sqlite/sqlite.ts";
import { decodeMessage } from "./decode.ts";
import { deadLetterEvent, type FailedMessage } from "./dead_letter.ts";
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
  /** View: whether the outbox received rows. Processor: the events to send. */
  enqueued: boolean;
  events: OutboxEvent[];
}

/** Everything `applyBatch` needs besides the messages. */
export interface ApplyContext {
  db: DatabaseSync;
  definition: ConsumerDefinition;
  handler: TopicHandler;
  topic: string;
  partition: number;
  /** Offsets to dead-letter without calling the handler, with the error that condemned them. */
  poison: Map<number, unknown>;
  /** A view's stored offsets, moved from `expected` to after the last message. */
  offsets?: { store: OffsetStore; expected: number | undefined };
  /** `outbox` (a view) or `collect` (a processor: the runner sends them). */
  events: "outbox" | "collect";
  /**
   * The messages' values, decoded and validated already (the pipelined
   * runner decodes on its fetching thread), in the messages' order.
   */
  values?: unknown[];
}

/** The context of a chunk of one partition's `messages`, for `applyBatch`. */
export function chunkContext(
  db: DatabaseSync,
  definition: ConsumerDefinition,
  messages: BatchMessage[],
  poison: Map<number, unknown>,
): Pick<ApplyContext, "db" | "definition" | "handler" | "topic" | "partition" | "poison"> {
  const { topic, partition } = messages[0];
  return { db, definition, handler: definition.topics[topic], topic, partition, poison };
}

/** Rolls back a probe after its handlers ran. */
class ProbeDone extends Error {}

function runHandlers(ctx: ApplyContext, messages: BatchMessage[], outcome: BatchOutcome): void {
  const { db, definition, handler } = ctx;
  const origin = { consumer: definition.name, groupId: definition.groupId };
  const send = (event: OutboxEvent): string => {
    if (ctx.events === "outbox") {
      outcome.enqueued = true;
      return enqueue(db, event);
    }
    const id = event.id ?? crypto.randomUUID();
    outcome.events.push({ ...event, id });
    return id;
  };
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const condemned = ctx.poison.get(message.offset);
    if (condemned !== undefined) {
      send(deadLetterEvent(message, condemned, origin));
      outcome.deadLettered++;
      continue;
    }
    let value: unknown;
    try {
      value = ctx.values ? ctx.values[i] : decodeMessage(message, handler);
    } catch (error) {
      send(deadLetterEvent(message, error, origin));
      outcome.deadLettered++;
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
        emit: send,
        notify(topic, type, data) {
          outcome.notes.push({ topic, type, data });
        },
      });
    } catch (error) {
      throw new MessageFailure(message.offset, error);
    }
    outcome.applied++;
  }
}

const emptyOutcome = (): BatchOutcome => ({
  applied: 0,
  deadLettered: 0,
  notes: [],
  enqueued: false,
  events: [],
});

/**
 * Runs the batch's transaction; throws MessageFailure (after rollback) if a
 * handler throws, OffsetConflictError if the stored offset moved.
 */
export function applyBatch(ctx: ApplyContext, messages: BatchMessage[]): BatchOutcome {
  const outcome = emptyOutcome();
  return transaction(ctx.db, () => {
    runHandlers(ctx, messages, outcome);
    if (ctx.offsets) {
      const last = messages[messages.length - 1];
      ctx.offsets.store.advance(ctx.topic, ctx.partition, ctx.offsets.expected, last.offset + 1);
    }
    return outcome;
  });
}

/**
 * Runs `messages` through their handlers and rolls everything back: how
 * many applied, and how many failed. Each message runs on its own (a
 * savepoint), so one failing does not hide the ones after it. The runner
 * uses it to tell a poison message (messages after it apply) from a
 * dependency outage (they all fail too).
 */
export function probeBatch(
  ctx: ApplyContext,
  messages: BatchMessage[],
): { applied: number; failed: number } {
  const outcome = emptyOutcome();
  let failed = 0;
  try {
    transaction(ctx.db, () => {
      for (const message of messages) {
        ctx.db.exec("SAVEPOINT probe");
        try {
          runHandlers({ ...ctx, events: "collect", poison: new Map() }, [message], outcome);
        } catch (error) {
          if (!(error instanceof MessageFailure)) throw error;
          failed++;
        }
        ctx.db.exec("ROLLBACK TO probe; RELEASE probe");
      }
      throw new ProbeDone();
    });
  } catch (error) {
    if (!(error instanceof ProbeDone)) throw error;
  }
  return { applied: outcome.applied, failed };
}
