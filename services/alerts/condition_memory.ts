/** What the conditions remember, in the alerts database (conditions/snapshot.ts `ConditionMemory`). */
import { type DatabaseSync, statement } from "../../shared/sqlite/sqlite.ts";
import type { ConditionMemory } from "./conditions/snapshot.ts";

// dlq_seen's row for this name says the first evaluation recorded the counts.
const BASELINE = "";

/** The memory of `db`. */
export function conditionMemory(db: DatabaseSync): ConditionMemory {
  return {
    dlqSeen(topic) {
      const row = statement(db, "SELECT messages, changed_at FROM dlq_seen WHERE topic = ?")
        .get(topic) as { messages: number; changed_at: number } | undefined;
      return row && { messages: Number(row.messages), changedAt: Number(row.changed_at) };
    },
    setDlqSeen(topic, messages, changedAt) {
      statement(
        db,
        `INSERT INTO dlq_seen (topic, messages, changed_at) VALUES (?, ?, ?)
         ON CONFLICT (topic) DO UPDATE SET messages = excluded.messages,
           changed_at = excluded.changed_at`,
      ).run(topic, messages, changedAt);
    },
    dlqBaseline() {
      return statement(db, "SELECT 1 FROM dlq_seen WHERE topic = ?").get(BASELINE) !== undefined;
    },
    markDlqBaseline() {
      statement(db, "INSERT OR IGNORE INTO dlq_seen (topic, messages, changed_at) VALUES (?, 0, 0)")
        .run(BASELINE);
    },
    knownBrokers() {
      return (statement(db, "SELECT id, host, last_seen_at FROM known_brokers ORDER BY id")
        .all() as { id: number; host: string; last_seen_at: number }[])
        .map((r) => ({
          id: Number(r.id),
          host: String(r.host),
          lastSeenAt: Number(r.last_seen_at),
        }));
    },
    seeBroker(id, host, at) {
      statement(
        db,
        `INSERT INTO known_brokers (id, host, last_seen_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, last_seen_at = excluded.last_seen_at`,
      ).run(id, host, at);
    },
    forgetBroker(id) {
      statement(db, "DELETE FROM known_brokers WHERE id = ?").run(id);
    },
  };
}
