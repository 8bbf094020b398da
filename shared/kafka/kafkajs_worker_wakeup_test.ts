import assert from "node:assert/strict";
// @ts-types="./kafkajs_runner.d.ts"
import Runner from "kafkajs/src/consumer/runner.js";
// @ts-types="./kafkajs_worker_queue.d.ts"
import createWorker from "kafkajs/src/consumer/worker.js";
// @ts-types="./kafkajs_worker_queue_factory.d.ts"
import createWorkerQueue from "kafkajs/src/consumer/workerQueue.js";
import {
  wakeForEveryBatch,
  wakesForEveryBatch,
  wakeWorkersForEveryBatch,
} from "./kafkajs_worker_wakeup.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` after `hops` microtasks. */
function afterMicrotasks(hops: number, fn: () => void): void {
  if (hops === 0) fn();
  else queueMicrotask(() => afterMicrotasks(hops - 1, fn));
}

/**
 * KafkaJS's own worker and queue; fetcher A's batch is handled, and fetcher
 * B pushes its batch `hops` microtasks after A's handler returned (the
 * window between a worker's last look at the queue and the end of its
 * run). Whether B's batch was handled within 300 ms.
 */
async function lateBatchHandled(hops: number, patched: boolean): Promise<boolean> {
  let release!: () => void;
  const handled: string[] = [];
  const worker = createWorker({
    workerId: 0,
    handler: async (batch) => {
      if (batch === "a") await new Promise<void>((r) => (release = r));
      handled.push(String(batch));
    },
  });
  const queue = createWorkerQueue({ workers: [worker] });
  if (patched) wakeForEveryBatch(queue);
  const a = queue.push("a");
  await sleep(5);
  release();
  let b: Promise<void> | undefined;
  afterMicrotasks(hops, () => (b = queue.push("b")));
  await a;
  while (!b) await sleep(0);
  const outcome = await Promise.race([b.then(() => "done"), sleep(300).then(() => "waiting")]);
  return outcome === "done" && handled.includes("b");
}

Deno.test("wakeForEveryBatch - KafkaJS's queue as installed leaves a batch pushed as its worker finishes", async () => {
  // The defect the patch works around: if a KafkaJS upgrade fixes it, this fails and the patch can go.
  const lost = [];
  for (let hops = 0; hops < 16; hops++) {
    if (!(await lateBatchHandled(hops, false))) lost.push(hops);
  }
  assert.ok(lost.length > 0, "every late batch was handled without the patch");
});

Deno.test("wakeForEveryBatch - a batch pushed at any point of a worker's end is handled", async () => {
  for (let hops = 0; hops < 16; hops++) {
    assert.ok(await lateBatchHandled(hops, true), `a batch pushed ${hops} microtasks late waits`);
  }
});

Deno.test("wakeForEveryBatch - batches in the order pushed; push throws its first batch's error", async () => {
  const order: string[] = [];
  const worker = createWorker({
    workerId: 0,
    handler: async (batch) => {
      await sleep(1);
      if (batch === "bad") throw new Error("handler failed");
      order.push(String(batch));
    },
  });
  const queue = createWorkerQueue({ workers: [worker] });
  wakeForEveryBatch(queue);
  wakeForEveryBatch(queue); // idempotent
  const first = queue.push("1", "2");
  const second = queue.push("3", "bad", "4");
  await first;
  await assert.rejects(second, /handler failed/);
  assert.deepEqual(order, ["1", "2", "3", "4"]);
});

Deno.test("wakeWorkersForEveryBatch - a consumer's runner hands its fetched batches through the waking queue", async () => {
  wakeWorkersForEveryBatch();
  const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };
  const batch = (partition: number) => ({
    topic: "t",
    partition,
    highWatermark: "1",
    messages: [{ offset: "0" }],
    isEmpty: () => false,
    isEmptyDueToFiltering: () => false,
    offsetLag: () => "0",
    offsetLagLow: () => "0",
    firstOffset: () => "0",
    lastOffset: () => "0",
  });
  const seen = new Set<number>();
  const runner = new Runner({
    logger,
    consumerGroup: {
      getNodeIds: () => [1, 2],
      fetch: async (nodeId: number) => {
        await sleep(5);
        return [batch(nodeId)];
      },
      heartbeat: async () => {},
      resolveOffset() {},
    },
    instrumentationEmitter: { emit() {} },
    concurrency: 1,
    autoCommit: false,
    eachBatch: ({ batch }: { batch: { partition: number } }) => {
      seen.add(batch.partition);
      return Promise.resolve();
    },
    onCrash: () => {},
  });
  runner.running = true;
  const fetching = runner.fetchManager.start();
  await sleep(100);
  const queue = runner.fetchManager.getFetchers()[0].getWorkerQueue();
  runner.running = false;
  await runner.fetchManager.stop();
  await fetching;
  assert.deepEqual([...seen].sort(), [1, 2], "batches from both brokers' fetchers handled");
  assert.ok(wakesForEveryBatch(queue), "the runner's queue has the waking push");
});
