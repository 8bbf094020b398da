import assert from "node:assert/strict";
import { rollupsOf, seriesResolutions } from "./rollup.ts";

Deno.test("rollupsOf - the smallest multiples of the coarse resolution of 5 and 20 minutes", () => {
  assert.deepEqual(rollupsOf(60_000), [300_000, 1_200_000]);
  assert.deepEqual(rollupsOf(10_000), [300_000, 1_200_000]);
  assert.deepEqual(rollupsOf(7 * 60_000), [21 * 60_000]);
  assert.deepEqual(rollupsOf(4 * 60_000), [8 * 60_000, 20 * 60_000]);
  assert.deepEqual(rollupsOf(300_000), [1_200_000]);
  assert.deepEqual(rollupsOf(1_200_000), []);
  assert.deepEqual(rollupsOf(3_600_000), []);
});

Deno.test("seriesResolutions - finest first, each once", () => {
  assert.deepEqual(seriesResolutions({ sampleMs: 5_000, coarseMs: 60_000 }), [
    5_000,
    60_000,
    300_000,
    1_200_000,
  ]);
  assert.deepEqual(seriesResolutions({ sampleMs: 5_000, coarseMs: 5_000 }), [
    5_000,
    300_000,
    1_200_000,
  ]);
  assert.deepEqual(seriesResolutions({ sampleMs: 60_000, coarseMs: 900_000 }), [
    60_000,
    900_000,
    1_800_000,
  ]);
});
