/**
 * KafkaJS 2.2.4's consumer hands fetched batches to its workers through a
 * queue shared by its fetchers, one per broker (consumer/workerQueue.js):
 * `push` queues the batches, wakes each worker with `run`, and waits until
 * they are handled. A worker's `run` is shared while it runs
 * (utils/sharedPromiseTo.js): a second call returns the run in progress,
 * which takes what was queued meanwhile. But the run is marked over only in
 * a `finally` a few microtasks after its loop found the queue empty. A
 * fetcher pushing in that window joins a run that will not look again:
 * its batches stay queued, and its `push` waits until another fetcher's
 * push starts a new run. When none comes — the fetch manager is stopping
 * its fetchers after a broker failed, a rebalance, a stop — it waits for
 * ever: no fetch, no heartbeat, no request in flight, and a disconnect that
 * never ends. The fault campaign (seed 173) met it: a sink stopped reading
 * all its partitions after a broker was killed, for the five minutes left.
 *
 * `wakeWorkersForEveryBatch` gives each fetch manager's queue a `push`
 * that keeps its own queue and, whenever a worker's run ends, runs it again
 * if batches are still queued. Batches are handled in the order pushed, by
 * the same workers and handler, and `push` still waits for its own batches
 * and throws the first one's error, as KafkaJS's does. Like the other
 * patches, it changes KafkaJS for the whole isolate: the client factory
 * (client.ts) applies it.
 */
// @ts-types="./kafkajs_runner.d.ts"
import Runner from "kafkajs/src/consumer/runner.js";
import type { QueuedBatch, Worker, WorkerQueue } from "./kafkajs_worker_queue.d.ts";

/** The queues already given a waking `push`. */
const waking = new WeakSet<WorkerQueue>();

/** Whether `workerQueue` has the waking `push`. */
export function wakesForEveryBatch(workerQueue: WorkerQueue): boolean {
  return waking.has(workerQueue);
}

/** Replaces `workerQueue.push` with one whose batches are never left queued; idempotent. */
export function wakeForEveryBatch(workerQueue: WorkerQueue): void {
  if (waking.has(workerQueue)) return;
  waking.add(workerQueue);
  const queued: QueuedBatch[] = [];
  const next = () => queued.shift();
  const wake = (worker: Worker): void => {
    // Settles once the run is marked over: a call now starts a new run.
    const again = () => {
      if (queued.length > 0) wake(worker);
    };
    worker.run({ next }).then(again, again);
  };
  workerQueue.push = async (...batches: unknown[]) => {
    const handled = batches.map((batch) =>
      new Promise((resolve, reject) => queued.push({ batch, resolve, reject }))
    );
    for (const worker of workerQueue.getWorkers()) wake(worker);
    const results = await Promise.allSettled(handled);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };
}

let patched = false;

/** Makes every consumer's fetch manager hand each fetched batch to a worker; idempotent. */
export function wakeWorkersForEveryBatch(): void {
  if (patched) return;
  patched = true;
  const fetch = Runner.prototype.fetch;
  Runner.prototype.fetch = function (this: Runner, nodeId: number) {
    // A fetch comes before the batches it brings are pushed: the queue is replaced in time.
    const queue = this.fetchManager.getFetchers()[0]?.getWorkerQueue();
    if (queue) wakeForEveryBatch(queue);
    return fetch.call(this, nodeId);
  };
}
