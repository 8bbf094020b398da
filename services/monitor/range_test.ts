import assert from "node:assert/strict";
import { MAX_POINTS, parseRange, RANGES, rangeWindow, ratePerSec, stepFor } from "./range.ts";

const res = { sampleMs: 5_000, coarseMs: 60_000, fineRetentionMs: 6 * 3_600_000 };

Deno.test("parseRange - the offered names only", () => {
  assert.equal(parseRange("15m"), "15m");
  assert.equal(parseRange("7d"), "7d");
  assert.equal(parseRange("2h"), undefined);
  assert.equal(parseRange("toString"), undefined);
});

Deno.test("stepFor - at most 1,000 buckets, aligned to the resolution read", async (t) => {
  await t.step("ranges within the fine retention use multiples of the sample period", () => {
    assert.equal(stepFor(RANGES["15m"], res), 5_000);
    assert.equal(stepFor(RANGES["1h"], res), 5_000);
  });
  await t.step("longer ranges use multiples of the coarse resolution", () => {
    assert.equal(stepFor(RANGES["6h"], res), 60_000);
    assert.equal(stepFor(RANGES["24h"], res), 120_000);
  });
  await t.step("the day and the week read from the rollups", () => {
    assert.equal(stepFor(RANGES["7d"], res), 1_200_000);
    assert.equal(rangeWindow(RANGES["7d"], 1_000_002_000, res).res, 1_200_000);
    // The page's 300 points: 40-min buckets (252 of them) over 20-min rows.
    const page = rangeWindow(RANGES["7d"], 1_000_002_000, res, 300);
    assert.deepEqual([page.res, page.step, page.buckets], [1_200_000, 2_400_000, 252]);
    // 24 h at 300 points: 5-min buckets, from the five-minute rollup.
    const day = rangeWindow(RANGES["24h"], 1_000_002_000, res, 300);
    assert.deepEqual([day.res, day.step, day.buckets], [300_000, 300_000, 288]);
    // 6 h at 300 points: 2-min buckets over the minute rows (5-min ones would give 72).
    const six = rangeWindow(RANGES["6h"], 1_000_002_000, res, 300);
    assert.deepEqual([six.res, six.step, six.buckets], [60_000, 120_000, 180]);
  });
  await t.step("between half and all of the points where the resolution allows", () => {
    for (const points of [300, MAX_POINTS]) {
      for (const ms of Object.values(RANGES)) {
        const n = Math.floor(ms / stepFor(ms, res, points));
        const finest = ms >= res.fineRetentionMs ? res.coarseMs : res.sampleMs;
        assert.ok(n <= points && (n >= points / 2 || ms / points < finest), `${ms} ${n}`);
      }
    }
  });
  await t.step("coarse rows whenever the buckets would be that large anyway", () => {
    const longFine = { ...res, fineRetentionMs: 25 * 3_600_000 };
    assert.equal(stepFor(RANGES["24h"], longFine), 120_000);
    assert.equal(rangeWindow(RANGES["24h"], 1_000_002_000, longFine).res, 60_000);
    assert.equal(rangeWindow(RANGES["6h"], 1_000_002_000, longFine).res, 5_000);
    assert.equal(stepFor(RANGES["6h"], longFine), 25_000);
  });
  await t.step("never more than MAX_POINTS buckets", () => {
    for (const ms of Object.values(RANGES)) {
      assert.ok(ms / stepFor(ms, res) <= MAX_POINTS, String(ms));
    }
  });
});

Deno.test("rangeWindow - ends with the bucket holding now", () => {
  const w = rangeWindow(RANGES["15m"], 1_000_002_000, res);
  assert.equal(w.res, 5_000);
  assert.equal(w.step, 5_000);
  assert.equal(w.buckets, 180);
  assert.equal(rangeWindow(RANGES["24h"], 1_000_002_000, res).res, 60_000);
  assert.equal(w.from + (w.buckets - 1) * w.step, 1_000_000_000);
});

Deno.test("ratePerSec - a filling bucket divides by the time it has run", () => {
  const options = { now: 100_000, sampleMs: 5_000 };
  assert.equal(ratePerSec(100, 80_000, 10_000, options), 10);
  assert.equal(ratePerSec(100, 90_000, 20_000, options), 10);
  assert.equal(ratePerSec(50, 99_000, 10_000, options), 10);
});
