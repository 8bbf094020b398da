import assert from "node:assert/strict";
import { openDatabase } from "../../shared/sqlite/sqlite.ts";
import { MONITOR_MIGRATIONS } from "../monitor/mod.ts";
import { errorBudget } from "./error_budget.ts";
import { lagTime } from "./monitor_source.ts";

const SETTINGS = {
  sampleMs: 1_000,
  fineRetentionMs: 60_000,
  coarseMs: 10_000,
  coarseRetentionMs: 600_000,
  windowMs: 5_000,
  topicRefreshMs: 2_000,
};

Deno.test("error budget - time above the target, fine and folded samples, against the objective", () => {
  const db = openDatabase(":memory:", { migrations: MONITOR_MIGRATIONS });
  const insert = db.prepare(
    "INSERT INTO group_samples (grp, res, t, lag, lag_ms, status) VALUES (?, ?, ?, 0, ?, 0)",
  );
  const now = 1_000_000;
  // Folded minutes before the fine samples: 20 × 10 s, two of them above 30 s.
  for (let i = 0; i < 20; i++) {
    insert.run("g", 10_000, now - 300_000 + i * 10_000, i < 2 ? 45_000 : 0);
  }
  // 60 fine samples: 3 above 30 s, 2 unknown.
  for (let i = 0; i < 60; i++) {
    insert.run("g", 1_000, now - 59_000 + i * 1_000, i < 3 ? 31_000 : i < 5 ? null : 1_000);
  }
  // Another group's samples never count.
  insert.run("h", 1_000, now, 99_000);
  const time = lagTime(db, SETTINGS, { group: "g", targetMs: 30_000, windowMs: 600_000, now });
  assert.deepEqual(time, {
    knownMs: 20 * 10_000 + 58 * 1_000,
    aboveMs: 2 * 10_000 + 3 * 1_000,
    unknownMs: 2_000,
    from: now - 300_000,
  });
  const budget = errorBudget(
    { name: "slow", aboveMs: 30_000, objective: 0.9, windowMs: 600_000 },
    time,
  );
  assert.equal(budget.met, true); // 23 s of 258 s above: 91 % within
  assert.ok(Math.abs(budget.budgetMs - 25_800) < 1e-6);
  assert.ok(Math.abs(budget.budgetLeft - (1 - 23_000 / 25_800)) < 1e-9);
  const strict = errorBudget(
    { name: "slow", aboveMs: 30_000, objective: 0.99, windowMs: 600_000 },
    time,
  );
  assert.equal(strict.met, false);
  assert.ok(strict.budgetLeft < 0);
  const short = lagTime(db, SETTINGS, { group: "g", targetMs: 30_000, windowMs: 10_000, now });
  assert.equal(short.knownMs, 10_000, "a window of 10 s counts the last 10 fine samples");
  const none = errorBudget(
    { name: "x", aboveMs: 1, objective: 0.99, windowMs: 1 },
    lagTime(db, SETTINGS, { group: "nobody", targetMs: 1, windowMs: 600_000, now }),
  );
  assert.deepEqual([none.compliance, none.budgetLeft, none.met, none.since], [1, 1, true, null]);
  db.close();
});
