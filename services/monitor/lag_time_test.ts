import assert from "node:assert/strict";
import { type EndPoint, lagTimeMs, timeAtOffset } from "./lag_time.ts";

const points = (...pairs: [number, number][]): EndPoint[] => pairs.map(([t, end]) => ({ t, end }));

Deno.test("timeAtOffset - interpolates between the points that bracket the offset", async (t) => {
  const history = points([0, 0], [10_000, 100], [20_000, 300]);
  await t.step("on a point", () => assert.equal(timeAtOffset(history, 100), 10_000));
  await t.step("between points", () => {
    assert.equal(timeAtOffset(history, 50), 5_000);
    assert.equal(timeAtOffset(history, 200), 15_000);
  });
  await t.step("at or past the newest end: the newest time", () => {
    assert.equal(timeAtOffset(history, 300), 20_000);
  });
});

Deno.test("timeAtOffset - a flat run counts from its last point", () => {
  // The end stayed at 100 from t=10 s to t=40 s, then moved on.
  const history = points([0, 0], [10_000, 100], [40_000, 100], [50_000, 200]);
  assert.equal(timeAtOffset(history, 100), 40_000);
  assert.equal(timeAtOffset(history, 150), 45_000);
  assert.equal(timeAtOffset(history, 50), 5_000);
});

Deno.test("timeAtOffset - before the history: extrapolated from its overall rate", async (t) => {
  await t.step("rate of 10 messages a second", () => {
    const history = points([100_000, 1_000], [110_000, 1_100], [120_000, 1_200]);
    assert.equal(timeAtOffset(history, 900), 90_000);
  });
  await t.step("one point, or an end that never moved: unknown", () => {
    assert.equal(timeAtOffset(points([100_000, 1_000]), 900), null);
    assert.equal(timeAtOffset(points([100_000, 1_000], [120_000, 1_000]), 900), null);
    assert.equal(timeAtOffset([], 900), null);
  });
});

Deno.test("lagTimeMs - how far behind the group is", async (t) => {
  const history = points([0, 0], [10_000, 100], [20_000, 300]);
  await t.step("caught up: 0", () => {
    assert.equal(lagTimeMs(history, 300, 20_000), 0);
    assert.equal(lagTimeMs(history, 305, 20_000), 0);
  });
  await t.step("behind: now minus when the end was at its offset", () => {
    assert.equal(lagTimeMs(history, 200, 20_000), 5_000);
    assert.equal(lagTimeMs(history, 0, 20_000), 20_000);
  });
  await t.step("unknown without history", () => {
    assert.equal(lagTimeMs([], 10, 0), null);
    assert.equal(lagTimeMs(points([0, 100]), 10, 5_000), null);
  });
  await t.step("never negative", () => {
    assert.equal(lagTimeMs(history, 200, 14_000), 0);
  });
});
