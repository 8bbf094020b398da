/**
 * A consumer group of one of the app's own consumers, as its service
 * declares it: which consumer owns it and how it replays. Freshet's
 * consumers keep their offsets in SQLite, committed with their rows, so a
 * Kafka offset reset does nothing for them; the console says how the
 * consumer replays instead (services/console/groups/freshet_groups.ts).
 */

import { groupName } from "../kafka/names.ts";

/** A Freshet consumer's group, and what replaces a Kafka offset reset for it. */
export interface GroupOwner {
  /** The consumer owning `groupId` under `topicPrefix` (e.g. `balances`), or undefined. */
  consumerOf(groupId: string, topicPrefix: string): string | undefined;
  /** What replaces a Kafka offset reset for that group. */
  replay(groupId: string): string;
  /** A command that replays it, when one exists. */
  command?: string;
}

/** Options of `namedGroup`. */
export interface NamedGroupOptions {
  /** The group's name without a topic prefix (shared/kafka/names.ts `groupName` adds it). */
  group: string;
  /** The consumer owning it. */
  consumer: string;
  /** What replaces a Kafka offset reset for it. */
  replay: string;
  command?: string;
}

/** The owner of one named group (the usual case: a consumer of one group). */
export function namedGroup(options: NamedGroupOptions): GroupOwner {
  return {
    consumerOf: (groupId, topicPrefix) =>
      groupId === groupName({ FRESHET_TOPIC_PREFIX: topicPrefix }, options.group)
        ? options.consumer
        : undefined,
    replay: () => options.replay,
    command: options.command,
  };
}
