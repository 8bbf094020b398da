import assert from "node:assert/strict";
import { addDeltas, addLagSample, countsOf, ratePoints } from "./live_series.ts";
import type { GroupSeries, TopicsReport } from "./types.ts";

const report: TopicsReport = {
  range: "15m",
  step: 5_000,
  from: 100_000,
  to: 112_000,
  sampleMs: 5_000,
  columns: ["t", "messagesPerSecond", "bytesPerSecond"],
  topics: [{
    topic: "a",
    messages: 35,
    bytes: 350,
    rate: 1,
    deadLetters: false,
    // 10 in the first bucket, 5 in the second, 20 in the filling third (2 s old: counts as 5 s).
    series: [[100_000, 2, 20], [105_000, 1, 10], [110_000, 4, 40]],
  }],
};

Deno.test("countsOf - the report's rates back to counts", () => {
  const { window, topics } = countsOf(report);
  assert.deepEqual(window, { from: 100_000, step: 5_000, buckets: 3 });
  assert.deepEqual(topics[0].messages, [10, 5, 20]);
  assert.deepEqual(topics[0].bytes, [100, 50, 200]);
});

Deno.test("addDeltas - adds to buckets, adds topics, slides the window", async (t) => {
  const { window, topics } = countsOf(report);
  await t.step("in the window", () => {
    const w = addDeltas(window, topics, [{ topic: "a", t: 110_000, messages: 3, bytes: 30 }]);
    assert.equal(w, window);
    assert.deepEqual(topics[0].messages, [10, 5, 23]);
  });
  await t.step("a new topic and a later bucket: the window slides by one", () => {
    const w = addDeltas(window, topics, [
      { topic: "b.dlq", t: 115_000, messages: 2, bytes: 8 },
      { topic: "a", t: 115_000, messages: 1, bytes: 10 },
    ]);
    assert.deepEqual(w, { from: 105_000, step: 5_000, buckets: 3 });
    assert.deepEqual(topics.map((x) => [x.topic, x.deadLetters, x.messages]), [
      ["a", false, [5, 23, 1]],
      ["b.dlq", true, [0, 0, 2]],
    ]);
    assert.deepEqual(ratePoints(w, topics[1].messages, { now: 116_000, sampleMs: 5_000 }), [
      [105_000, 0],
      [110_000, 0],
      [115_000, 0.4],
    ]);
  });
});

Deno.test("addLagSample - the worst lag of the bucket, older points dropped", () => {
  const series: GroupSeries = { group: "g", status: "OK", series: [[0, 5, 100], [5_000, 7, 200]] };
  addLagSample(series, 5_000, { t: 6_000, lag: 3, lagMs: 900 }, 0);
  assert.deepEqual(series.series, [[0, 5, 100], [5_000, 7, 900]]);
  addLagSample(series, 5_000, { t: 11_000, lag: 9, lagMs: null }, 5_000);
  assert.deepEqual(series.series, [[5_000, 7, 900], [10_000, 9, null]]);
});
