/**
 * The `/health` verdict. `down`: the broker cannot be reached. `degraded`:
 * the broker answers but a consumer failed or went quiet (no report for
 * longer than `staleAfterMs`), or the monitor sees its consumer group stuck
 * (STALL or STOP, see services/monitor). Both answer 503 so a load balancer
 * or orchestrator acts on them; `ok` answers 200. A consumer that stopped on
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
  /** True when the consumer failed, stopped reporting, or its group is stuck. */
  unhealthy: boolean;
  /** Its consumer group as the monitor last sampled it, when it did. */
  group?: GroupHealth;
}

/** A consumer group's state as the monitor sampled it. */
export interface GroupHealth {
  group: string;
  /** The monitor's status (OK, WARN, STALL, STOP, REWIND, ERROR). */
  status: string;
  lag: number;
  /** Seconds behind, null when unknown. */
  lagSeconds: number | null;
  /** True when the status makes the consumer unhealthy; `reason` says why. */
  unhealthy: boolean;
  reason?: string;
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
  options: {
    now: number;
    staleAfterMs: number;
    /** The monitor's latest view of consumer groups, by group id. */
    groups?: ReadonlyMap<string, GroupHealth>;
  },
): HealthReport {
  const consumers = records.map((record): ConsumerHealth => {
    const group = options.groups?.get(record.status.groupId);
    return {
      name: record.status.name,
      state: record.status.state,
      lag: record.status.lag,
      mode: record.status.mode,
      lastSeenMsAgo: Math.max(0, options.now - record.receivedAt),
      unhealthy: isUnhealthy(record, options.now, options.staleAfterMs) || !!group?.unhealthy,
      ...(group ? { group } : {}),
    };
  });
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
