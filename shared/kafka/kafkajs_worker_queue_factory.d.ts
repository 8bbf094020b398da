import type { Worker, WorkerQueue } from "./kafkajs_worker_queue.d.ts";

/** KafkaJS's worker queue factory (consumer/workerQueue.js). */
export default function createWorkerQueue(options: { workers: Worker[] }): WorkerQueue;
