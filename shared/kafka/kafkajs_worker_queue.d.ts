/** A worker of KafkaJS's fetch manager (consumer/worker.js): takes batches from `next` until none. */
export interface Worker {
  run(options: { next: () => QueuedBatch | undefined }): Promise<void>;
}

/** A batch waiting for a worker, with its pusher's promise callbacks (consumer/workerQueue.js). */
export interface QueuedBatch {
  batch: unknown;
  resolve(value?: unknown): void;
  reject(error: unknown): void;
}

/** KafkaJS's worker queue (consumer/workerQueue.js), shared by a fetch manager's fetchers. */
export interface WorkerQueue {
  push(...batches: unknown[]): Promise<void>;
  getWorkers(): Worker[];
}

/** KafkaJS's worker factory (consumer/worker.js). */
export default function createWorker(options: {
  handler: (batch: unknown, metadata: { workerId: number }) => Promise<void>;
  workerId: number;
}): Worker;
