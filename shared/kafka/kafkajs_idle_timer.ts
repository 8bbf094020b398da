/**
 * KafkaJS 2.2.4's request queue re-arms a timer every time it checks its
 * pending requests, even with none pending and no throttle: with a
 * negative delay (tulios/kafkajs#1751), which fires after about 1 ms. So
 * every connected broker connection runs a 1-kHz timer loop while idle —
 * measured at ~5 % of a core for one idle admin client on these machines,
 * the whole sampling budget of the monitor. `stopIdleRequestQueueTimers`
 * makes the check arm a timer only when there is something to check: a
 * pending request, or a throttle to wait out. Requests that cannot go out
 * at once are queued with `push`, which still schedules the check, and a
 * completed request checks the queue anyway.
 *
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it once per process or Worker, for every client.
 */
// @ts-types="./kafkajs_request_queue.d.ts"
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

let patched = false;

/** Makes idle KafkaJS connections stop spinning their check timer; idempotent. */
export function stopIdleRequestQueueTimers(): void {
  if (patched) return;
  patched = true;
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
}
