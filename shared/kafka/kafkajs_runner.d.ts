/** The part of KafkaJS's internal consumer runner that kafkajs_runner_stop.ts patches. */
export default class Runner {
  constructor(options: Record<string, unknown>);
  running: boolean;
  fetchManager: { start(): Promise<void>; stop(): Promise<void> };
  fetch(nodeId: number): Promise<unknown[]>;
}
