/**
 * A consumer's fetch wait, long when idle and short while a partition is
 * paused. The broker holds an empty fetch for the wait and answers as soon
 * as a record arrives, so a long wait costs an idle consumer fewer wake-ups
 * and nothing in latency — except for a partition paused and then resumed
 * (the runner pauses a partition to wait before retrying a message): KafkaJS
 * fetches it again only when the fetch in flight for the others returns,
 * up to a whole wait later, and with every partition paused it sleeps the
 * whole wait. `shortFetchWaitWhilePaused` makes each of KafkaJS's fetches
 * use at most `pausedWaitMs` while any assigned partition is paused, and
 * the consumer's own wait otherwise.
 *
 * A group named to `lengthenIdleFetchWait` (the runner's) fetches with a
 * longer wait once none of its fetches has brought a record for
 * IDLE_AFTER_MS: one fetch per heartbeat instead of one a second, for an
 * idle consumer. KafkaJS heartbeats from its fetch loop, after a fetch
 * returns, so a wait of the heartbeat interval keeps the heartbeats as
 * they were; what it costs is a stop or a seek of an idle consumer, which
 * waits for the fetch in flight (up to that wait instead of 1 s). The
 * first record brings the consumer's own wait back.
 *
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it, like the other patches.
 */
// @ts-types="./kafkajs_consumer_group.d.ts"
import ConsumerGroup from "kafkajs/src/consumer/consumerGroup.js";

/** A fetch's wait while a partition is paused: what resuming it may cost. */
export const PAUSED_FETCH_WAIT_MS = 100;

/** How long without a record before a group named to `lengthenIdleFetchWait` counts as idle (ms). */
export const IDLE_AFTER_MS = 30_000;

/** The consumer's own wait, remembered before the first change. */
const configuredWait = new WeakMap<ConsumerGroup, number>();

/** When a fetch of the group last brought a record (or the group was first seen). */
const recordsAt = new WeakMap<ConsumerGroup, number>();

/** The idle wait of each group id named to `lengthenIdleFetchWait` (ms). */
const idleWaits = new Map<string, number>();

/**
 * Lets group `groupId`'s consumers in this isolate fetch with `idleWaitMs`
 * (at most their heartbeat interval) once idle; `undefined` ends it.
 */
export function lengthenIdleFetchWait(groupId: string, idleWaitMs: number | undefined): void {
  if (idleWaitMs === undefined) idleWaits.delete(groupId);
  else idleWaits.set(groupId, idleWaitMs);
}

/**
 * The wait `group`'s next fetch should use: short while a partition is
 * paused, long once idle if its group was named, else its own.
 */
export function fetchWaitFor(
  group: ConsumerGroup,
  pausedWaitMs = PAUSED_FETCH_WAIT_MS,
  now = Date.now(),
): number {
  if (!configuredWait.has(group)) configuredWait.set(group, group.maxWaitTime);
  if (!recordsAt.has(group)) recordsAt.set(group, now);
  const configured = configuredWait.get(group)!;
  if (group.subscriptionState.paused().length > 0) return Math.min(configured, pausedWaitMs);
  const idleWait = idleWaits.get(group.groupId);
  if (idleWait !== undefined && now - recordsAt.get(group)! >= IDLE_AFTER_MS) {
    return Math.max(configured, idleWait);
  }
  return configured;
}

/** Notes that a fetch of `group` brought records (control records and aborted ones count). */
export function fetchBrought(group: ConsumerGroup, batches: unknown, now = Date.now()): void {
  if (!Array.isArray(batches)) return;
  const moved = batches.some((b) =>
    typeof b?.isEmptyIncludingFiltered === "function" && !b.isEmptyIncludingFiltered()
  );
  if (moved) recordsAt.set(group, now);
}

let patched = false;

/** Makes KafkaJS fetch with a short wait while a partition is paused, a long one idle; idempotent. */
export function shortFetchWaitWhilePaused(): void {
  if (patched) return;
  patched = true;
  const fetch = ConsumerGroup.prototype.fetch;
  ConsumerGroup.prototype.fetch = async function (this: ConsumerGroup, nodeId: number) {
    // KafkaJS reads the field for this fetch's request (or its sleep when all are paused).
    this.maxWaitTime = fetchWaitFor(this);
    const batches = await fetch.call(this, nodeId);
    fetchBrought(this, batches);
    return batches;
  };
}
