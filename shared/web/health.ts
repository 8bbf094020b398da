/**
 * The `/health` verdict. `down`: the broker cannot be reached. `degraded`:
 * the broker answers but a consumer is unhealthy — it failed (its reason is
 * given: a fault it cannot retry, a Worker that could not start), went quiet
 * (no report for longer than `staleAfterMs`), or its outbox is stuck (the
 * oldest unsent event is older than `outboxMaxAgeMs`, or a target topic
 * keeps failing). Both answer 503 so a load balancer or orchestrator acts on
 * them; `ok` answers 200. A consumer that stopped on purpose (`stopped`) or
 * is `rejoining` its group is listed but not unhealthy. The monitor's view
 * of a consumer's group counts too: STALL or STOP makes it unhealthy. A
 * consumer stopped on a gap (shared/consumer/gap_policy.ts) is `failed`
 * with the gap named; gaps it accepted are listed with it.
 */
import type { BrokerHealth } from "./broker_probe.ts";
import type { ConsumerRecord } from "./consumer_store.ts";
import type { ConsumerStatus } from "../consumer/status.ts";

/** One consumer in `/health`. */
export interface ConsumerHealth {
  name: string;
  state: string;
  lag: number;
  mode: string;
  lastSeenMsAgo: number;
  /** True when the consumer failed, stopped reporting, or its outbox is stuck. */
  unhealthy: boolean;
  /** Why it is unhealthy, or its last error. */
  reason?: string;
  /** Its outbox, when it has one. */
  outbox?: { unsent: number; oldestUnsentMs: number };
  /** How many times the server restarted its Worker after it died. */
  restarts?: number;
  /** Its consumer group as the monitor last sampled it, when it did. */
  group?: GroupHealth;
  /**
   * Gaps it accepted or rebuilt past (a topic recreated, records deleted
   * before it read them): how many, the newest first. Shown, not unhealthy:
   * an operator chose the policy.
   */
  gaps?: ConsumerStatus["gaps"];
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

/** Thresholds of the verdict. */
export interface HealthOptions {
  now: number;
  staleAfterMs: number;
  /** An outbox whose oldest unsent event is older than this is stuck (default 60 000 ms). */
  outboxMaxAgeMs?: number;
  /** The monitor's latest view of consumer groups, by group id. */
  groups?: ReadonlyMap<string, GroupHealth>;
}

/** Why a consumer is unhealthy at `now`, or undefined when it is not. */
export function unhealthyReason(
  record: ConsumerRecord,
  options: HealthOptions,
): string | undefined {
  const { status } = record;
  if (status.state === "failed") return `failed: ${status.lastError ?? "no reason given"}`;
  if (status.state === "stopped") return undefined;
  const quietMs = options.now - record.receivedAt;
  if (quietMs > options.staleAfterMs) return `no report for ${Math.round(quietMs / 1000)} s`;
  const outbox = status.outbox;
  const maxAge = options.outboxMaxAgeMs ?? 60_000;
  if (outbox && outbox.unsent > 0 && outbox.oldestUnsentMs > maxAge) {
    const failing = outbox.failingTopics.map((t) => t.error).join("; ");
    return `outbox stuck: ${outbox.unsent} events unsent, the oldest for ${
      Math.round(outbox.oldestUnsentMs / 1000)
    } s${failing ? ` (${failing})` : ""}`;
  }
  return undefined;
}

/** Whether a consumer is unhealthy at `now`. */
export function isUnhealthy(record: ConsumerRecord, now: number, staleAfterMs: number): boolean {
  return unhealthyReason(record, { now, staleAfterMs }) !== undefined;
}

/** Builds the report from the broker check and the consumers' latest statuses. */
export function healthReport(
  broker: BrokerHealth,
  records: ConsumerRecord[],
  options: HealthOptions,
): HealthReport {
  const consumers = records.map((record): ConsumerHealth => {
    const group = options.groups?.get(record.status.groupId);
    const reason = unhealthyReason(record, options) ??
      (group?.unhealthy ? group.reason ?? `group ${group.group} is ${group.status}` : undefined);
    const health: ConsumerHealth = {
      name: record.status.name,
      state: record.status.state,
      lag: record.status.lag,
      mode: record.status.mode,
      lastSeenMsAgo: Math.max(0, options.now - record.receivedAt),
      unhealthy: reason !== undefined,
    };
    const why = reason ?? record.status.lastError;
    if (why) health.reason = why;
    if (record.status.outbox) {
      health.outbox = {
        unsent: record.status.outbox.unsent,
        oldestUnsentMs: record.status.outbox.oldestUnsentMs,
      };
    }
    if (group) health.group = group;
    if (record.status.gaps) health.gaps = record.status.gaps;
    if (record.status.restarts) health.restarts = record.status.restarts;
    return health;
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
