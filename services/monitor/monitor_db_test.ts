import assert from "node:assert/strict";
import { withMonitorDb } from "./test_db.ts";

Deno.test("monitor database - the groups' top-N over a range reads the index alone", async () => {
  await withMonitorDb((db) => {
    const columns = db.prepare("PRAGMA index_info(group_samples_by_t)").all().map((r) => r.name);
    assert.deepEqual(columns, ["res", "t", "grp", "lag"]);
    const plan = db.prepare(
      `EXPLAIN QUERY PLAN SELECT grp, MAX(lag) AS peak FROM group_samples WHERE res = ? AND t >= ?
       GROUP BY grp ORDER BY peak DESC, grp LIMIT ?`,
    ).all(60_000, 0, 8).map((r) => String(r.detail));
    assert.ok(plan.some((d) => d.includes("COVERING INDEX group_samples_by_t")), plan.join("; "));
  });
});
