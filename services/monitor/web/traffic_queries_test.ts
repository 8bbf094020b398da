import assert from "node:assert/strict";
import { transaction } from "../../../shared/sqlite/sqlite.ts";
import { bucketsOf } from "../buckets.ts";
import type { MonitorSettings } from "../config.ts";
import { withMonitorDb } from "../test_db.ts";
import { addTraffic } from "../traffic_store.ts";
import { topicsReport } from "./traffic_queries.ts";

const settings: MonitorSettings = {
  sampleMs: 5_000,
  fineRetentionMs: 3_600_000,
  coarseMs: 60_000,
  coarseRetentionMs: 7 * 86_400_000,
  windowMs: 60_000,
  topicRefreshMs: 10_000,
};
const NOW = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);

Deno.test("topicsReport - a bucket sums every partition and every stored bucket in it", async () => {
  await withMonitorDb((db) => {
    // 7 days in 300 buckets: 40-minute steps over the 20-minute rollup. Topic a: 3
    // partitions, each 1 + partition messages a minute; topic b: 1 partition, 10 a minute.
    transaction(db, () => {
      for (let t = NOW - 7 * 86_400_000; t < NOW; t += 60_000) {
        for (const bucket of bucketsOf(t, NOW, settings)) {
          for (let p = 0; p < 3; p++) {
            addTraffic(db, { ...bucket, topic: "a", partition: p, messages: 1 + p, bytes: 100 });
          }
          addTraffic(db, { ...bucket, topic: "b", partition: 0, messages: 10, bytes: 7 });
        }
      }
    });
    const report = topicsReport(db, settings, "7d", NOW - 1, 300);
    assert.equal(report.step, 40 * 60_000);
    const [a, b] = report.topics;
    assert.deepEqual([a.topic, b.topic], ["a", "b"]);
    // A whole bucket (not the newest, still filling): 6 messages a minute, 30 bytes a second.
    const whole = a.series.at(-2)!;
    assert.equal(whole[1], 0.1);
    assert.equal(whole[2], 5);
    assert.equal(b.series.at(-2)![1], Math.round((10 / 60) * 100) / 100);
  });
});
