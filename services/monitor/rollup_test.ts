import assert from "node:assert/strict";
import { rollupMs, seriesResolutions } from "./rollup.ts";

Deno.test("rollupMs - the smallest multiple of the coarse resolution of ten minutes or more", () => {
  assert.equal(rollupMs(60_000), 600_000);
  assert.equal(rollupMs(10_000), 600_000);
  assert.equal(rollupMs(7 * 60_000), 14 * 60_000);
  assert.equal(rollupMs(600_000), undefined);
  assert.equal(rollupMs(3_600_000), undefined);
});

Deno.test("seriesResolutions - finest first, each once", () => {
  assert.deepEqual(seriesResolutions({ sampleMs: 5_000, coarseMs: 60_000 }), [
    5_000,
    60_000,
    600_000,
  ]);
  assert.deepEqual(seriesResolutions({ sampleMs: 5_000, coarseMs: 5_000 }), [5_000, 600_000]);
  assert.deepEqual(seriesResolutions({ sampleMs: 60_000, coarseMs: 900_000 }), [60_000, 900_000]);
});
