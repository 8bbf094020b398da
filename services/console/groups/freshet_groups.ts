/**
 * Freshet's own consumers keep their offsets in SQLite, committed with
 * their rows; Kafka's committed offsets are only a copy for lag display
 * (docs/decisions.md, "Exactly once into SQLite"). Resetting them in
 * Kafka would silently do nothing, so the console recognises these groups
 * and says how that consumer replays instead, where it can.
 */
import { groupName } from "../../../shared/kafka/names.ts";
import { balancesGroupId } from "../../balances/group.ts";
import { ORDERS_GROUP } from "../../orders/consumer.ts";
import { PAYMENTS_GROUP } from "../../payments/consumer.ts";

/** A Freshet consumer owning a group. */
export interface FreshetConsumer {
  /** The consumer, e.g. `balances`, `doctor-house`. */
  consumer: string;
  /** What replaces a Kafka offset reset for it. */
  replay: string;
  /** A command that replays it, when one exists. */
  command?: string;
}

/** The Freshet consumer owning `groupId` under `topicPrefix`, if any. */
export function freshetConsumerOf(
  groupId: string,
  topicPrefix: string,
  running: readonly string[] = [],
): FreshetConsumer | undefined {
  const env = { FRESHET_TOPIC_PREFIX: topicPrefix };
  if (groupId === balancesGroupId(env)) {
    return {
      consumer: "balances",
      replay: "Rebuild the balances table from contas (from the earliest offset, into a fresh " +
        "table swapped in at the end; safe while the consumer runs).",
      command: "deno task consumer:balances --rebuild",
    };
  }
  if (/^doctor-[A-Za-z0-9_-]+$/.test(groupId)) {
    return {
      consumer: groupId,
      replay: `Stop the server (or this consumer), delete data/${groupId}/ and start it again: ` +
        "a new database reads its topics from the earliest offset (decisions, “Exactly once " +
        "into SQLite”). Assumed/ignored decisions made here are lost with it.",
    };
  }
  if (groupId === groupName(env, ORDERS_GROUP)) {
    return {
      consumer: "orders",
      replay: "No replay: the orders database is the system of record, not a projection of the " +
        "topics, and a new database never replays history.",
    };
  }
  if (groupId === groupName(env, PAYMENTS_GROUP)) {
    return {
      consumer: "payments",
      replay: "No replay: payments must never charge old orders again. Its instances resume at " +
        "the later of SQLite's and Kafka's offset, so moving Kafka's back does nothing and " +
        "moving it forward skips orders unpaid.",
    };
  }
  if (running.includes(groupId)) {
    return {
      consumer: groupId,
      replay: "This group belongs to a consumer the server runs; its offsets live in its SQLite.",
    };
  }
  return undefined;
}
