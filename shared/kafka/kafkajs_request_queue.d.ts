/** A request KafkaJS's request queue tracks (network/requestQueue/socketRequest.js). */
export interface SocketRequest {
  correlationId: number;
  sentAt: number | null;
  requestTimeout: number;
  expectResponse: boolean;
  /** The request's API, as KafkaJS names it (`Fetch`, `Heartbeat`, …). */
  entry: { apiName: string };
  timeoutRequest(): void;
}

/** The part of KafkaJS's internal request queue that kafkajs_idle_timer.ts patches. */
export default class RequestQueue {
  constructor(options: {
    maxInFlightRequests?: number | null;
    requestTimeout: number;
    enforceRequestTimeout: boolean;
    clientId: string;
    broker: string;
    logger: unknown;
    isConnected?: () => boolean;
  });
  pending: unknown[];
  inflight: Map<number, SocketRequest>;
  /** `host:port` of the broker the queue's connection is to. */
  broker: string;
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  requestTimeoutIntervalId: unknown;
  enforceRequestTimeout: boolean;
  isConnected(): boolean;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest(request: SocketRequest): void;
  push(request: {
    entry: Record<string, unknown>;
    expectResponse: boolean;
    sendRequest(): void;
    requestTimeout?: number;
  }): void;
  destroy(): void;
  rejectAll(error: Error): void;
  /** Resolves once nothing is pending or in flight (what Connection.disconnect awaits). */
  waitForPendingRequests(): Promise<void>;
}
