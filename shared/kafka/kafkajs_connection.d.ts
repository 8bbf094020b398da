/** The part of KafkaJS's internal connection that kafkajs_sasl_retry.ts patches. */
export default class Connection {
  authenticate(): Promise<void>;
}
