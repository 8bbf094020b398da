/** The part of KafkaJS's internal request queue that kafkajs_idle_timer.ts patches. */
export default class RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  scheduleCheckPendingRequests(): void;
}
