import assert from "node:assert/strict";
import { openDatabase, statement } from "../../sqlite/sqlite.ts";
import { pruneAudit } from "./audit_retention.ts";
import { CONSOLE_MIGRATIONS } from "./console_db.ts";

Deno.test("audit retention - by age, by count, anonymous failures capped on their own", () => {
  const db = openDatabase(":memory:", { migrations: CONSOLE_MIGRATIONS });
  const now = Date.UTC(2025, 0, 31);
  const insert = (daysAgo: number, anonymousFailure: boolean) =>
    statement(
      db,
      `INSERT INTO audit_log (at, user_name, client, action, target, result, anonymous_failure)
       VALUES (?, ?, 'c', ?, 't', ?, ?)`,
    ).run(
      new Date(now - daysAgo * 86_400_000).toISOString(),
      anonymousFailure ? null : "operator",
      anonymousFailure ? "login" : "topic.delete",
      anonymousFailure ? "refused" : "ok",
      anonymousFailure ? 1 : 0,
    );
  try {
    for (let i = 0; i < 10; i++) insert(40 + i, false); // too old
    for (let i = 0; i < 30; i++) insert(29 - i * 0.5, false);
    for (let i = 0; i < 50; i++) insert(10 - i * 0.1, true);
    const removed = pruneAudit(db, { maxAgeDays: 30, maxEntries: 20, maxFailedLogins: 5 }, now);
    const count = (kind: number) =>
      Number(
        statement(db, "SELECT count(*) AS n FROM audit_log WHERE anonymous_failure = ?").get(kind)!
          .n,
      );
    assert.equal(count(0), 20);
    assert.equal(count(1), 5);
    assert.equal(removed, 10 + 10 + 45);
    const oldest = statement(db, "SELECT min(at) AS at FROM audit_log WHERE anonymous_failure = 0")
      .get()!;
    assert.equal(
      oldest.at,
      new Date(now - (29 - 10 * 0.5) * 86_400_000).toISOString(),
      "the newest kept",
    );
  } finally {
    db.close();
  }
});
