/**
 * How a consumer is declared: per topic, a zod schema for the message value
 * and a synchronous handler that changes SQLite. The runner wraps every
 * batch in one transaction together with the partition's next offset.
 */
import type { z } from "zod";
import type { OutboxEvent } from "../outbox/outbox.ts";
import type { Principal } from "../kafka/principals.ts";
import type { DatabaseSync, Migration } from "../sqlite/sqlite.ts";
import type { SchemaContract } from "../schema/schema_type.ts";
import type { GapPolicy } from "./gap_policy.ts";

/** A bus notification a handler asked for, published after its transaction commits. */
export interface BusNote {
  topic: string;
  type: string;
  /** The data, or a function computing it, called only if the note is published one by one. */
  data: unknown;
}

/**
 * A transaction with more notes than this publishes, per bus topic, one
 * `bulk` note `{count, types}` instead: a page cannot show thousands of
 * changes a second one by one, and publishing each costs a third of the
 * consumer's throughput. Pages refetch on `bulk`.
 */
export const MAX_NOTES_PER_TRANSACTION = 50;

/** What a handler gets for one valid message. */
export interface MessageContext<T> {
  db: DatabaseSync;
  value: T;
  key: string | null;
  headers: Record<string, string>;
  topic: string;
  partition: number;
  offset: number;
  /** Kafka timestamp, milliseconds since the epoch. */
  timestamp: number;
  /** Writes an event to the outbox in this transaction (sent after commit). */
  emit(event: OutboxEvent): string;
  /**
   * Announces a change on the bus once the transaction has committed. Pass a
   * function to compute the data only when it is published (see
   * MAX_NOTES_PER_TRANSACTION).
   */
  notify(topic: string, type: string, data: unknown): void;
}

/** One consumed topic. A null Kafka value (tombstone) is given to the schema as `null`. */
export interface TopicHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** An Avro or Protobuf contract instead of JSON + `schema` (see schemaTopic in schema_contract.ts). */
  contract?: SchemaContract;
  /** Applies one message; throw to reject it (see shared/core/errors.ts for how errors are treated). */
  handle(ctx: MessageContext<z.infer<S>>): void;
}

/** A consumer: its name, principal, group, topics and schema. */
export interface ConsumerDefinition {
  /** Short name, e.g. `doctor`; names its data folder and metrics. */
  name: string;
  principal: Principal;
  groupId: string;
  topics: Record<string, TopicHandler>;
  /** The consumer's own tables (versions 1-899). */
  migrations: Migration[];
  /**
   * `view` (default): a materialised view. Each instance keeps its own
   * database under its own group; the state change and each partition's
   * next offset commit in one SQLite transaction (exactly once into
   * SQLite); events go through the outbox.
   *
   * `processor`: instances share one group and split the partitions; the
   * events a batch emits and its consumed offsets commit in one Kafka
   * transaction (exactly once in Kafka), the group's committed offsets
   * decide where a partition resumes, and SQLite holds the instance's own
   * records. A processor's handler may see a message again after its SQLite
   * changes committed but its Kafka transaction did not (a kill between
   * the two): it must then emit the same events (same ids) again.
   */
  kind?: "view" | "processor";
  /** View: where to start a partition the database has never seen (default `earliest`). */
  whenNoStoredOffset?: "earliest" | "committed";
  /**
   * What to do on a gap (a topic recreated, records deleted before they
   * were read; see gap_policy.ts), unless `CONSUMER_ON_GAP` says otherwise:
   * `stop` (default), `accept`, or `rebuild` (a view with `reset` only).
   */
  onGap?: GapPolicy;
  /**
   * View: clears the view's own tables, for a rebuild from the topics'
   * start (gap policy `rebuild`). Runs in the transaction that forgets the
   * stored offsets; the outbox is kept.
   */
  reset?: (db: DatabaseSync) => void;
}

/**
 * What the server needs to know of any consumer to grant its Worker or task
 * permissions: the variables it reads. A consumer with its own loop (the
 * monitor) declares only this.
 */
export interface ConsumerEnv {
  /** Variables the consumer reads (besides the consumer base and Kafka ones). */
  env: readonly string[];
}

/** A consumer module: the variables it reads and how to build it from them. */
export interface ConsumerModule extends ConsumerEnv {
  create(env: Record<string, string>): ConsumerDefinition;
}

/** Typed helper for one topic handler (infers the value type from the schema). */
export function topic<S extends z.ZodType>(handler: TopicHandler<S>): TopicHandler {
  return handler as unknown as TopicHandler;
}
