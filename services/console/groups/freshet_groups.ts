/**
 * Freshet's own consumers keep their offsets in SQLite, committed with
 * their rows; Kafka's committed offsets are only a copy for lag display
 * (docs/decisions.md, "Exactly once into SQLite"). Resetting them in
 * Kafka would silently do nothing, so the console recognises these groups
 * and says how that consumer replays instead, where it can. Which groups
 * are Freshet's, and how each replays, each service says in its module
 * (`groups`); the app hands them over as `services.consumerGroups`.
 */
import type { GroupOwner } from "../../../shared/web/group_owner.ts";

/** A Freshet consumer owning a group. */
export interface FreshetConsumer {
  /** The consumer, e.g. `balances`, `doctor-house`. */
  consumer: string;
  /** What replaces a Kafka offset reset for it. */
  replay: string;
  /** A command that replays it, when one exists. */
  command?: string;
}

/** What tells Freshet's groups apart. */
export interface FreshetGroups {
  /** The app's services: their topic prefix and their consumers' groups (from the service modules). */
  services: { topicPrefix: string; consumerGroups: readonly GroupOwner[] };
  /** Groups of consumers the server runs now. */
  running?: readonly string[];
}

/** The Freshet consumer owning `groupId`, if any. */
export function freshetConsumerOf(
  groupId: string,
  { services, running = [] }: FreshetGroups,
): FreshetConsumer | undefined {
  for (const owner of services.consumerGroups) {
    const consumer = owner.consumerOf(groupId, services.topicPrefix);
    if (consumer !== undefined) {
      return { consumer, replay: owner.replay(groupId), command: owner.command };
    }
  }
  if (running.includes(groupId)) {
    return {
      consumer: groupId,
      replay: "This group belongs to a consumer the server runs; its offsets live in its SQLite.",
    };
  }
  return undefined;
}
