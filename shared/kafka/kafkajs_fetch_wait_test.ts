import assert from "node:assert/strict";
// @ts-types="./kafkajs_consumer_group.d.ts"
import ConsumerGroup from "kafkajs/src/consumer/consumerGroup.js";
import SubscriptionState from "kafkajs/src/consumer/subscriptionState.js";
import {
  fetchWaitFor,
  PAUSED_FETCH_WAIT_MS,
  shortFetchWaitWhilePaused,
} from "./kafkajs_fetch_wait.ts";

/** A KafkaJS consumer group's state (its own SubscriptionState) with `maxWaitTime`. */
function group(maxWaitTime: number): ConsumerGroup {
  const g = Object.create(ConsumerGroup.prototype) as ConsumerGroup;
  g.maxWaitTime = maxWaitTime;
  g.subscriptionState = new SubscriptionState();
  g.subscriptionState.assign([{ topic: "t", partitions: [0, 1, 2] }]);
  return g;
}

Deno.test("fetchWaitFor - the consumer's wait, short while an assigned partition is paused", () => {
  const g = group(1_000);
  assert.equal(fetchWaitFor(g), 1_000);
  g.subscriptionState.pause([{ topic: "t", partitions: [1] }]);
  assert.equal(fetchWaitFor(g), PAUSED_FETCH_WAIT_MS);
  g.maxWaitTime = PAUSED_FETCH_WAIT_MS; // as the patch leaves it: the configured wait is remembered
  g.subscriptionState.resume([{ topic: "t", partitions: [1] }]);
  assert.equal(fetchWaitFor(g), 1_000);
  g.subscriptionState.pause([{ topic: "t" }]); // the whole topic
  assert.equal(fetchWaitFor(g), PAUSED_FETCH_WAIT_MS);
  assert.equal(fetchWaitFor(group(50)), 50, "never longer than the consumer's own");
});

Deno.test("shortFetchWaitWhilePaused - KafkaJS's fetch reads the adjusted wait", async () => {
  shortFetchWaitWhilePaused();
  const g = group(1_000);
  g.subscriptionState.pause([{ topic: "t", partitions: [0] }]);
  // KafkaJS's fetch then fails at once on this bare group (no cluster):
  // the wait was set before it ran.
  await assert.rejects(() => g.fetch(1));
  assert.equal(g.maxWaitTime, PAUSED_FETCH_WAIT_MS);
  g.subscriptionState.resume([{ topic: "t", partitions: [0] }]);
  await assert.rejects(() => g.fetch(1));
  assert.equal(g.maxWaitTime, 1_000);
});
