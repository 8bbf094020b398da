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
 * (group, fetch, admin, log checks, outbox). `stopIdleRequestQueueTimers`
 * makes that check a single timer armed at the earliest deadline of the
 * requests in flight, none when nothing is in flight. What KafkaJS's
 * interval guarantees is kept, case by case (each tested):
 * - a request times out when KafkaJS would time it out (to the millisecond
 *   rather than to the next 100-ms tick);
 * - a request whose sending threw stays in flight without a send time:
 *   KafkaJS's check reads its age from 0 and times it out at the next tick;
 *   so does this one (at once);
 * - the check is re-armed whatever happens in it or in a send (`finally`):
 *   KafkaJS's interval ticks on after an exception, so must this;
 * - a queue whose connection is gone stops checking once nothing is in
 *   flight. KafkaJS's stopped at once, leaving what was in flight to wait
 *   for ever; but its connection's `disconnect` waits for those requests
 *   (`waitForPendingRequests`), so a disconnect from a broker that stopped
 *   answering never ended (nor what awaited it). Here they time out at
 *   their deadline, and the disconnect goes on.
 * A first version (reverted) skipped requests without a send time and did
 * not re-arm after an exception: a request could then wait for ever.
 *
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it once per process or Worker, for every client.
 */
// @ts-types="./kafkajs_request_queue.d.ts"
import RequestQueue, { type SocketRequest } from "kafkajs/src/network/requestQueue/index.js";

/** When the timeout check of a queue is due (epoch ms), per queue. */
const checkDue = new WeakMap<RequestQueue, number>();

/** The queues with a timeout check armed: those with requests in flight (requestsInFlight). */
const watchedQueues = new Set<RequestQueue>();

/** A request in flight in this isolate, for a consumer that reports being stuck. */
export interface RequestInFlight {
  broker: string;
  api: string;
  /** Since it was sent (or since the epoch if its send threw). */
  ageMs: number;
  timeoutMs: number;
}

/**
 * Every KafkaJS request in flight in this isolate (process or Worker), the
 * oldest first: what a consumer whose batch or fetch does not end is
 * waiting for, if it waits for the broker.
 */
export function requestsInFlight(now = Date.now()): RequestInFlight[] {
  const found: RequestInFlight[] = [];
  for (const queue of watchedQueues) {
    for (const request of queue.inflight.values()) {
      found.push({
        broker: queue.broker,
        api: request.entry?.apiName ?? "?",
        ageMs: now - (request.sentAt ?? 0),
        timeoutMs: request.requestTimeout,
      });
    }
  }
  return found.sort((a, b) => b.ageMs - a.ageMs);
}

/**
 * The requests in flight in words, the five oldest: `Fetch to 127.0.0.1:9092
 * for 41 s (timeout 30 s); …`, or that there is none (a wait elsewhere).
 */
export function describeRequests(requests: RequestInFlight[]): string {
  if (requests.length === 0) return "no Kafka request in flight";
  return requests.slice(0, 5).map((r) =>
    `${r.api} to ${r.broker} for ${Math.round(r.ageMs / 1000)} s (timeout ${
      Math.round(r.timeoutMs / 1000)
    } s)`
  ).join("; ");
}

/**
 * When `request` times out. KafkaJS's check computes `now - sentAt`: a
 * request whose send threw (no `sentAt`) is overdue at once.
 */
function deadline(request: SocketRequest): number {
  return (request.sentAt ?? 0) + request.requestTimeout;
}

/** The earliest deadline of `queue`'s requests in flight, if any. */
function earliestDeadline(queue: RequestQueue): number | undefined {
  let due: number | undefined;
  for (const request of queue.inflight.values()) {
    const at = deadline(request);
    if (due === undefined || at < due) due = at;
  }
  return due;
}

/** Arms `queue`'s timeout check for its earliest deadline, unless one is armed sooner. */
function armTimeoutCheck(queue: RequestQueue): void {
  if (!queue.enforceRequestTimeout) return;
  const due = earliestDeadline(queue);
  if (due === undefined) return;
  const armed = checkDue.get(queue);
  if (armed !== undefined && armed <= due) return;
  clearTimeout(queue.requestTimeoutIntervalId as number);
  checkDue.set(queue, due);
  watchedQueues.add(queue);
  // KafkaJS times a request out once more than its timeout has passed.
  queue.requestTimeoutIntervalId = setTimeout(
    () => checkTimeouts(queue),
    Math.max(0, due - Date.now() + 1),
  );
}

/** KafkaJS's check, run once: times out what is overdue, then arms the next one. */
function checkTimeouts(queue: RequestQueue): void {
  checkDue.delete(queue);
  watchedQueues.delete(queue);
  queue.requestTimeoutIntervalId = null;
  try {
    const now = Date.now();
    for (const request of [...queue.inflight.values()]) {
      if (now - (request.sentAt ?? 0) <= request.requestTimeout) continue;
      try {
        request.timeoutRequest();
      } catch {
        // KafkaJS's own check would have thrown here too, and ticked on: the
        // request left the queue before its state threw (timeoutRequest).
        queue.inflight.delete(request.correlationId);
      }
    }
  } finally {
    // While requests are in flight the check goes on, the connection closing or not:
    // KafkaJS's disconnect waits for them (waitForPendingRequests) before it ends, and
    // KafkaJS's own interval stopped at its first tick once the connection was closing, so
    // a request its broker never answered (paused, cut off behind a proxy) held the
    // disconnect, and whoever awaited it (a consumer's rejoin, its stop), for ever.
    if (queue.isConnected() || queue.inflight.size > 0) armTimeoutCheck(queue);
    else queue.destroy();
  }
}

let patched = false;

/**
 * Makes idle KafkaJS connections stop waking up for their queue checks
 * (pending requests and request timeouts); idempotent.
 */
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
    try {
      send.call(this, request);
    } finally {
      armTimeoutCheck(this);
    }
  };
  const destroy = RequestQueue.prototype.destroy;
  RequestQueue.prototype.destroy = function (this: RequestQueue) {
    checkDue.delete(this);
    watchedQueues.delete(this);
    destroy.call(this);
  };
}
