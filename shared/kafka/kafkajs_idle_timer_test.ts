import assert from "node:assert/strict";
// @ts-types="./kafkajs_request_queue.d.ts"
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import { stopIdleRequestQueueTimers } from "./kafkajs_idle_timer.ts";

Deno.test("stopIdleRequestQueueTimers - a check arms a timer only with something to check", async (t) => {
  stopIdleRequestQueueTimers();
  const queue = (pending: unknown[], throttledUntil: number) => {
    const q = Object.create(RequestQueue.prototype) as RequestQueue;
    Object.assign(q, { pending, throttledUntil, throttleCheckTimeoutId: null });
    return q;
  };
  await t.step("idle: no timer", () => {
    const q = queue([], -1);
    q.scheduleCheckPendingRequests();
    assert.equal(q.throttleCheckTimeoutId, null);
  });
  await t.step("a pending request or a throttle: a timer, as before", () => {
    for (const q of [queue([{}], -1), queue([], Date.now() + 60_000)]) {
      q.scheduleCheckPendingRequests();
      assert.notEqual(q.throttleCheckTimeoutId, null);
      clearTimeout(q.throttleCheckTimeoutId as number);
    }
  });
});
