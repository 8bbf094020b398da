import type { WorkerQueue } from "./kafkajs_worker_queue.d.ts";

/**
 * The part of KafkaJS's internal consumer runner that kafkajs_runner_stop.ts
 * and kafkajs_worker_wakeup.ts patch.
 */
export default class Runner {
  constructor(options: Record<string, unknown>);
  running: boolean;
  fetchManager: {
    start(): Promise<void>;
    stop(): Promise<void>;
    /** The fetchers of the current start, one per broker; they share one worker queue. */
    getFetchers(): { getWorkerQueue(): WorkerQueue }[];
  };
  fetch(nodeId: number): Promise<unknown[]>;
}
