/** The part of KafkaJS's internal consumer group that kafkajs_fetch_wait.ts patches. */
export default class ConsumerGroup {
  groupId: string;
  maxWaitTime: number;
  subscriptionState: {
    assign(topicPartitions: { topic: string; partitions: number[] }[]): void;
    pause(topicPartitions: { topic: string; partitions?: number[] }[]): void;
    resume(topicPartitions: { topic: string; partitions?: number[] }[]): void;
    paused(): { topic: string; partitions: number[] }[];
  };
  fetch(nodeId: number): Promise<unknown[]>;
}
