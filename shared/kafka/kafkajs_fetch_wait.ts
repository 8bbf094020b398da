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
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it, like the other patches.
 */
// @ts-types="./kafkajs_consumer_group.d.ts"
import ConsumerGroup from "kafkajs/src/consumer/consumerGroup.js";

/** A fetch's wait while a partition is paused: what resuming it may cost. */
export const PAUSED_FETCH_WAIT_MS = 100;

/** The consumer's own wait, remembered before the first change. */
const configuredWait = new WeakMap<ConsumerGroup, number>();

/** The wait `group`'s next fetch should use: short while a partition is paused. */
export function fetchWaitFor(group: ConsumerGroup, pausedWaitMs = PAUSED_FETCH_WAIT_MS): number {
  if (!configuredWait.has(group)) configuredWait.set(group, group.maxWaitTime);
  const configured = configuredWait.get(group)!;
  return group.subscriptionState.paused().length > 0
    ? Math.min(configured, pausedWaitMs)
    : configured;
}

let patched = false;

/** Makes KafkaJS fetch with a short wait while a partition is paused; idempotent. */
export function shortFetchWaitWhilePaused(): void {
  if (patched) return;
  patched = true;
  const fetch = ConsumerGroup.prototype.fetch;
  ConsumerGroup.prototype.fetch = function (this: ConsumerGroup, nodeId: number) {
    // KafkaJS reads the field for this fetch's request (or its sleep when all are paused).
    this.maxWaitTime = fetchWaitFor(this);
    return fetch.call(this, nodeId);
  };
}
