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
 * The same queue also checks its requests' timeouts on a 100-ms interval,
 * armed for as long as the connection is open, requests in flight or not:
 * ten wake-ups a second per connection, some five connections per consumer
 * (group, fetch, admin, log checks, outbox) — measured as most of an idle
 * consumer's ~1 % of a core. `stopIdleRequestQueueTimers` also makes that
 * check a single timer armed at the earliest deadline of the requests in
 * flight (re-armed as they come and go), none when nothing is in flight: a
 * request still times out when KafkaJS would have timed it out (to the
 * millisecond rather than to the next 100-ms tick).
 *
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it once per process or Worker, for every client.
 */
// @ts-types="./kafkajs_request_queue.d.ts"
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

/** When the timeout check of a queue is due (epoch ms), per queue. */
const checkDue = new WeakMap<RequestQueue, number>();

/** The earliest moment one of `queue`'s requests in flight times out, if any. */
function earliestTimeout(queue: RequestQueue): number | undefined {
  let due: number | undefined;
  for (const request of queue.inflight.values()) {
    if (request.sentAt === null) continue;
    const at = request.sentAt + request.requestTimeout;
    if (due === undefined || at < due) due = at;
  }
  return due;
}

/** Arms `queue`'s timeout check for its earliest deadline, unless one is armed sooner. */
function armTimeoutCheck(queue: RequestQueue): void {
  if (!queue.enforceRequestTimeout) return;
  const due = earliestTimeout(queue);
  if (due === undefined) return;
  const armed = checkDue.get(queue);
  if (armed !== undefined && armed <= due) return;
  clearTimeout(queue.requestTimeoutIntervalId as number);
  checkDue.set(queue, due);
  // KafkaJS times a request out once more than its timeout has passed.
  queue.requestTimeoutIntervalId = setTimeout(
    () => checkTimeouts(queue),
    Math.max(0, due - Date.now() + 1),
  );
}

/** KafkaJS's check, run once: times out what is overdue, then arms the next one. */
function checkTimeouts(queue: RequestQueue): void {
  checkDue.delete(queue);
  queue.requestTimeoutIntervalId = null;
  const now = Date.now();
  for (const request of [...queue.inflight.values()]) {
    if (request.sentAt !== null && now - request.sentAt > request.requestTimeout) {
      request.timeoutRequest();
    }
  }
  if (!queue.isConnected()) return queue.destroy();
  armTimeoutCheck(queue);
}

let patched = false;

/** Makes idle KafkaJS connections stop waking up for their queue checks; idempotent. */
export function stopIdleRequestQueueTimers(): void {
  if (patched) return;
  patched = true;
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  // On connect: no interval; a check is armed when a request goes out.
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueue) {
    this.destroy();
    armTimeoutCheck(this);
  };
  const send = RequestQueue.prototype.sendSocketRequest;
  RequestQueue.prototype.sendSocketRequest = function (this: RequestQueue, request) {
    send.call(this, request);
    armTimeoutCheck(this);
  };
  const destroy = RequestQueue.prototype.destroy;
  RequestQueue.prototype.destroy = function (this: RequestQueue) {
    checkDue.delete(this);
    destroy.call(this);
  };
}
