/**
 * The `/health` verdict. `down`: the broker cannot be reached. `degraded`:
 * the broker answers but a consumer failed or went quiet (no report for
 * longer than `staleAfterMs`). Both answer 503 so a load balancer or
 * orchestrator acts on them; `ok` answers 200. A consumer that stopped on
 * purpose (state `stopped`) is listed but neither stale nor failed.
 */
import type { BrokerHealth } from "./broker_probe.ts";
import type { ConsumerRecord } from "./consumer_store.ts";

/** One consumer in `/health`. */
export interface ConsumerHealth {
  name: string;
  state: string;
  lag: number;
  mode: string;
  lastSeenMsAgo: number;
  /** True when the consumer failed or stopped reporting. */
  unhealthy: boolean;
}

/** The `/health` body. */
export interface HealthReport {
  status: "ok" | "degraded" | "down";
  broker: BrokerHealth;
  consumers: ConsumerHealth[];
}

/** Whether a consumer is failed or stale at `now`. */
export function isUnhealthy(record: ConsumerRecord, now: number, staleAfterMs: number): boolean {
  const { state } = record.status;
  if (state === "failed") return true;
  return state !== "stopped" && now - record.receivedAt > staleAfterMs;
}

/** Builds the report from the broker check and the consumers' latest statuses. */
export function healthReport(
  broker: BrokerHealth,
  records: ConsumerRecord[],
  options: { now: number; staleAfterMs: number },
): HealthReport {
  const consumers = records.map((record): ConsumerHealth => ({
    name: record.status.name,
    state: record.status.state,
    lag: record.status.lag,
    mode: record.status.mode,
    lastSeenMsAgo: Math.max(0, options.now - record.receivedAt),
    unhealthy: isUnhealthy(record, options.now, options.staleAfterMs),
  }));
  const status = !broker.reachable
    ? "down"
    : consumers.some((c) => c.unhealthy)
    ? "degraded"
    : "ok";
  return { status, broker, consumers };
}

/** HTTP status of a report. */
export function healthHttpStatus(report: HealthReport): 200 | 503 {
  return report.status === "ok" ? 200 : 503;
}
