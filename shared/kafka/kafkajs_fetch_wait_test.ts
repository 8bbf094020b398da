import assert from "node:assert/strict";
// @ts-types="./kafkajs_consumer_group.d.ts"
import ConsumerGroup from "kafkajs/src/consumer/consumerGroup.js";
import SubscriptionState from "kafkajs/src/consumer/subscriptionState.js";
import {
  fetchBrought,
  fetchWaitFor,
  IDLE_AFTER_MS,
  lengthenIdleFetchWait,
  PAUSED_FETCH_WAIT_MS,
  shortFetchWaitWhilePaused,
} from "./kafkajs_fetch_wait.ts";

/** A KafkaJS consumer group's state (its own SubscriptionState) with `maxWaitTime`. */
function group(maxWaitTime: number, groupId = "g"): ConsumerGroup {
  const g = Object.create(ConsumerGroup.prototype) as ConsumerGroup;
  g.groupId = groupId;
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

/** A fetched batch as KafkaJS gives it: `records` records within the fetched offsets. */
const batch = (records: number) => ({ isEmptyIncludingFiltered: () => records === 0 });

Deno.test("fetchWaitFor - a named group idle for IDLE_AFTER_MS fetches with its idle wait", () => {
  lengthenIdleFetchWait("idle-group", 3_000);
  try {
    const g = group(1_000, "idle-group");
    assert.equal(fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, 0), 1_000, "first seen: active");
    fetchBrought(g, [batch(0), batch(0)], 10_000); // empty fetches do not count
    assert.equal(fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, IDLE_AFTER_MS - 1), 1_000);
    assert.equal(fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, IDLE_AFTER_MS), 3_000, "idle");
    fetchBrought(g, [batch(0), batch(2)], 40_000);
    assert.equal(fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, 40_000), 1_000, "a record: its own wait");
    assert.equal(fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, 40_000 + IDLE_AFTER_MS), 3_000);
    g.subscriptionState.pause([{ topic: "t", partitions: [0] }]);
    assert.equal(
      fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, 40_000 + IDLE_AFTER_MS),
      PAUSED_FETCH_WAIT_MS,
      "a paused partition still fetches short",
    );
    const other = group(1_000, "not-named");
    fetchWaitFor(other, PAUSED_FETCH_WAIT_MS, 0);
    assert.equal(fetchWaitFor(other, PAUSED_FETCH_WAIT_MS, 10 * IDLE_AFTER_MS), 1_000);
    const long = group(5_000, "idle-group");
    fetchWaitFor(long, PAUSED_FETCH_WAIT_MS, 0);
    assert.equal(
      fetchWaitFor(long, PAUSED_FETCH_WAIT_MS, IDLE_AFTER_MS),
      5_000,
      "never shorter than its own",
    );
    lengthenIdleFetchWait("idle-group", undefined);
    g.subscriptionState.resume([{ topic: "t", partitions: [0] }]);
    assert.equal(
      fetchWaitFor(g, PAUSED_FETCH_WAIT_MS, 10 * IDLE_AFTER_MS),
      1_000,
      "no longer named",
    );
  } finally {
    lengthenIdleFetchWait("idle-group", undefined);
  }
});
