import assert from "node:assert/strict";
import {
  partitionStatus,
  type StatusOptions,
  type WindowSample,
  worstStatus,
} from "./group_status.ts";

/** Samples every 5 s ending at t = 60 s, from [committed, lag] pairs. */
function history(...pairs: [number, number][]): WindowSample[] {
  const start = 60_000 - (pairs.length - 1) * 5_000;
  return pairs.map(([committed, lag], i) => ({ t: start + i * 5_000, committed, lag }));
}

const options: StatusOptions = { now: 60_000, windowMs: 30_000, sampleMs: 5_000, owned: true };
const repeat = (n: number, pair: [number, number]) => Array.from({ length: n }, () => pair);

Deno.test("partitionStatus - OK", async (t) => {
  await t.step("no lag now", () => {
    assert.equal(partitionStatus(history([10, 5], [10, 9], [20, 0]), options), "OK");
  });
  await t.step("lag was zero somewhere in the window", () => {
    assert.equal(partitionStatus(history(...repeat(6, [10, 3]), [10, 0], [10, 4]), options), "OK");
  });
  await t.step("lag decreasing somewhere", () => {
    const samples = history([0, 50], [10, 60], [20, 70], [40, 60], [50, 80], [60, 90], [70, 95]);
    assert.equal(partitionStatus(samples, options), "OK");
  });
  await t.step("too little history to judge", () => {
    assert.equal(partitionStatus(history([10, 5], [10, 6]), options), "OK");
    assert.equal(partitionStatus([], options), "OK");
  });
  await t.step("samples outside the window do not count", () => {
    // Lag was zero 40 s ago, outside the 30-s window: the window alone decides.
    const samples = history([10, 0], [10, 2], ...repeat(7, [10, 3]));
    assert.equal(partitionStatus(samples, options), "STALL");
  });
});

Deno.test("partitionStatus - STALL and STOP: offsets not moving while there is lag", async (t) => {
  const stuck = history(...repeat(7, [100, 40]));
  await t.step("a member owns the partition: STALL", () => {
    assert.equal(partitionStatus(stuck, options), "STALL");
  });
  await t.step("nobody owns it: STOP", () => {
    assert.equal(partitionStatus(stuck, { ...options, owned: false }), "STOP");
  });
  await t.step("allowed lag", () => {
    assert.equal(partitionStatus(stuck, { ...options, allowedLag: 40 }), "OK");
  });
});

Deno.test("partitionStatus - a sampler running late still covers the window", async (t) => {
  // The window is 30 s (from t = 30 s); samples every 12 s, the first 9 s into it.
  const late = [39_000, 51_000, 60_000].map((t) => ({ t, committed: 100, lag: 40 }));
  await t.step("watched before the window began: the window is covered, STALL", () => {
    assert.equal(
      partitionStatus([{ t: 27_000, committed: 100, lag: 40 }, ...late], options),
      "STALL",
    );
  });
  await t.step("nothing before the window (the monitor just started): too soon to judge", () => {
    assert.equal(partitionStatus(late, options), "OK");
  });
  await t.step("the last sample before it is a window older (the monitor was away)", () => {
    assert.equal(partitionStatus([{ t: 5_000, committed: 100, lag: 40 }, ...late], options), "OK");
  });
  await t.step("the sample before the window is not judged: lag zero there does not count", () => {
    assert.equal(
      partitionStatus([{ t: 27_000, committed: 100, lag: 0 }, ...late], options),
      "STALL",
    );
  });
});

Deno.test("partitionStatus - WARN: offsets move but the lag never decreases", () => {
  const samples = history([0, 10], [5, 12], [10, 12], [15, 20], [20, 25], [25, 30], [30, 31]);
  assert.equal(partitionStatus(samples, options), "WARN");
});

Deno.test("partitionStatus - REWIND: the committed offset went backwards", async (t) => {
  await t.step("and did not recover", () => {
    const samples = history([500, 0], [500, 0], [0, 600]);
    assert.equal(partitionStatus(samples, options), "REWIND");
  });
  await t.step("even before the window is covered", () => {
    assert.equal(partitionStatus(history([500, 10], [100, 500]), options), "REWIND");
  });
  await t.step("recovered to where it was: the other rules apply", () => {
    const samples = history([500, 5], [100, 400], [300, 200], [520, 0], [530, 10]);
    assert.equal(partitionStatus(samples, options), "OK");
  });
});

Deno.test("worstStatus - the most severe", () => {
  assert.equal(worstStatus([]), "OK");
  assert.equal(worstStatus(["OK", "WARN", "OK"]), "WARN");
  assert.equal(worstStatus(["STALL", "REWIND", "STOP", "WARN"]), "STOP");
  assert.equal(worstStatus(["ERROR", "STOP"]), "ERROR");
});
