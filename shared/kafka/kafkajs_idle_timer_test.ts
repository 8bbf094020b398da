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

const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };

/** A real KafkaJS queue (its timeout `requestTimeoutMs`) and a way to send requests nobody answers. */
function realQueue(requestTimeoutMs: number, isConnected = () => true) {
  const queue = new RequestQueue({
    requestTimeout: requestTimeoutMs,
    enforceRequestTimeout: true,
    clientId: "test",
    broker: "nowhere:9092",
    logger,
    isConnected,
  });
  let correlationId = 0;
  const send = (requestTimeout?: number) =>
    new Promise((resolve, reject) =>
      queue.push({
        entry: {
          correlationId: ++correlationId,
          apiKey: 1,
          apiName: "Fetch",
          apiVersion: 11,
          resolve,
          reject,
        },
        expectResponse: true,
        sendRequest() {},
        requestTimeout,
      })
    );
  return { queue, send };
}

Deno.test("stopIdleRequestQueueTimers - request timeouts: one timer at the earliest deadline, none when idle", async (t) => {
  stopIdleRequestQueueTimers();
  await t.step("connected and idle: no timer", () => {
    const { queue } = realQueue(100);
    queue.scheduleRequestTimeoutCheck(); // what a connection does once connected
    assert.equal(queue.requestTimeoutIntervalId ?? null, null);
  });
  await t.step("a request nobody answers times out as KafkaJS times it out", async () => {
    const { queue, send } = realQueue(100);
    queue.scheduleRequestTimeoutCheck();
    const started = Date.now();
    const error = await send().then(() => undefined, (e: Error) => e);
    const waited = Date.now() - started;
    assert.equal(error?.name, "KafkaJSRequestTimeoutError");
    assert.ok(waited >= 100 && waited < 400, `timed out after ${waited} ms (timeout 100 ms)`);
    assert.equal(queue.inflight.size, 0);
    assert.equal(queue.requestTimeoutIntervalId ?? null, null, "nothing in flight: no timer left");
  });
  await t.step("a long request in flight: one timer, not a 100-ms interval", async () => {
    const { queue, send } = realQueue(1_000);
    queue.scheduleRequestTimeoutCheck();
    const pending = send().catch((e: Error) => e);
    const armed = queue.requestTimeoutIntervalId;
    assert.notEqual(armed ?? null, null);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(queue.requestTimeoutIntervalId, armed, "the same timer, never re-armed meanwhile");
    // A request with an earlier deadline (a shorter custom timeout is never below
    // the queue's, so a later-sent one is later): the armed timer stays.
    const second = send().catch((e: Error) => e);
    assert.equal(queue.requestTimeoutIntervalId, armed);
    assert.equal((await pending as Error).name, "KafkaJSRequestTimeoutError");
    assert.notEqual(queue.requestTimeoutIntervalId ?? null, null, "re-armed for the second");
    assert.equal((await second as Error).name, "KafkaJSRequestTimeoutError");
    assert.equal(queue.requestTimeoutIntervalId ?? null, null);
  });
  await t.step("destroy (a disconnect) clears it", async () => {
    const { queue, send } = realQueue(60_000);
    queue.scheduleRequestTimeoutCheck();
    const pending = send().catch(() => {});
    assert.notEqual(queue.requestTimeoutIntervalId ?? null, null);
    queue.destroy();
    queue.rejectAll(new Error("disconnected"));
    await pending;
  });
});

Deno.test("stopIdleRequestQueueTimers - what KafkaJS's interval guarantees, after a fault", async (t) => {
  stopIdleRequestQueueTimers();
  await t.step(
    "a request whose send threw is timed out at once, as KafkaJS's check does",
    async () => {
      const { queue } = realQueue(60_000);
      queue.scheduleRequestTimeoutCheck();
      const failed = new Promise((resolve, reject) => {
        try {
          queue.push({
            entry: {
              correlationId: 1,
              apiKey: 1,
              apiName: "Fetch",
              apiVersion: 11,
              resolve,
              reject,
            },
            expectResponse: true,
            sendRequest() {
              throw new Error("socket gone");
            },
          });
        } catch (error) {
          // What KafkaJS's connection does with a throwing push: reject, and go on.
          reject(error);
        }
      }).catch((e: Error) => e.message);
      assert.equal(await failed, "socket gone");
      assert.equal(
        queue.inflight.size,
        1,
        "left in flight without a send time, as KafkaJS leaves it",
      );
      await waitUntil(() => queue.inflight.size === 0, 1_000);
      assert.equal(queue.requestTimeoutIntervalId ?? null, null);
    },
  );
  await t.step("a check that throws is armed again: the next request still times out", async () => {
    const { queue, send } = realQueue(100);
    queue.scheduleRequestTimeoutCheck();
    const first = send().catch((e: Error) => e);
    const [request] = queue.inflight.values();
    request.timeoutRequest = () => {
      throw new Error("invalid state");
    };
    const second = send().catch((e: Error) => e.name);
    await waitUntil(() => queue.inflight.size === 0, 1_000);
    assert.equal(await second, "KafkaJSRequestTimeoutError");
    void first;
  });
  await t.step("a queue whose connection is gone stops checking", async () => {
    let connected = true;
    const { queue, send } = realQueue(50, () => connected);
    const pending = send().catch((e: Error) => e.name);
    connected = false;
    assert.equal(await pending, "KafkaJSRequestTimeoutError");
    assert.equal(queue.requestTimeoutIntervalId ?? null, null);
  });
  await t.step(
    "a closing connection still times out what is in flight: KafkaJS's disconnect waits for it",
    async () => {
      let connected = true;
      const { queue, send } = realQueue(50, () => connected);
      const first = send().catch((e: Error) => e.name);
      const second = send(300).catch((e: Error) => e.name);
      // What Connection.disconnect does: closing (not connected), then it waits for them.
      connected = false;
      const drained = queue.waitForPendingRequests();
      assert.equal(await first, "KafkaJSRequestTimeoutError");
      const outcome = await Promise.race([
        second,
        new Promise((r) => setTimeout(() => r("still in flight after 2 s"), 2_000)),
      ]);
      assert.equal(outcome, "KafkaJSRequestTimeoutError");
      await drained;
      assert.equal(queue.inflight.size, 0);
      assert.equal(queue.requestTimeoutIntervalId ?? null, null, "nothing left: no timer");
    },
  );
});

async function waitUntil(condition: () => boolean, withinMs: number): Promise<void> {
  const end = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
