/**
 * Outbox recovery by reading the log: after a crash, rows left `sending`
 * are looked up in their topics (from a little before they were marked) by
 * their `ce_id` header.
 */
import type { Kafka } from "kafkajs";
import { TransientError } from "../core/errors.ts";
import type { OutboxRecovery } from "./outbox.ts";
import { readRange } from "../kafka/topic_reader.ts";

/** Clock skew allowance between this host and the broker's timestamps. */
const SKEW_MS = 10_000;

/**
 * A recovery reading with `kafka`; `groupPrefix` must be a consumer-group
 * prefix the principal may READ (e.g. `doctor-`).
 */
export function logRecovery(kafka: Kafka, groupPrefix: string): OutboxRecovery {
  return async (rows) => {
    const since = Math.min(...rows.map((r) => r.sending_since ?? Date.now()));
    const result = await readRange(kafka, {
      groupId: `${groupPrefix}outbox-recovery-${crypto.randomUUID()}`,
      topics: [...new Set(rows.map((r) => r.topic))],
      from: { timestampMs: since - SKEW_MS },
      timeoutMs: 20_000,
    });
    if (!result.complete) {
      throw new TransientError("could not read the topics to the end to recover the outbox");
    }
    const wanted = new Set(rows.map((r) => r.event_id));
    return new Set(
      result.messages.map((m) => m.headers.ce_id).filter((id) =>
        id !== undefined && wanted.has(id)
      ),
    );
  };
}
