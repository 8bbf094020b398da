import assert from "node:assert/strict";
import { clearEstimate } from "./clear_time.ts";

const span = (consumed: number, produced: number) => ({
  fromT: 0,
  toT: 10_000,
  fromCommitted: 1_000,
  toCommitted: 1_000 + consumed,
  fromEnd: 2_000,
  toEnd: 2_000 + produced,
});

Deno.test("clearEstimate - lag divided by how fast it shrinks", async (t) => {
  await t.step("consuming 100/s, producing 50/s, 500 behind: 10 s", () => {
    assert.deepEqual(clearEstimate(500, span(1_000, 500)), {
      consumedPerSec: 100,
      producedPerSec: 50,
      clearMs: 10_000,
    });
  });
  await t.step("not shrinking: null", () => {
    assert.equal(clearEstimate(500, span(500, 500)).clearMs, null);
    assert.equal(clearEstimate(500, span(0, 100)).clearMs, null);
  });
  await t.step("no lag: 0", () => assert.equal(clearEstimate(0, span(0, 0)).clearMs, 0));
  await t.step("an empty span has no rates", () => {
    const estimate = clearEstimate(10, { ...span(5, 5), toT: 0 });
    assert.deepEqual(estimate, { consumedPerSec: 0, producedPerSec: 0, clearMs: null });
  });
  await t.step("a rewind does not count as negative consumption", () => {
    assert.equal(clearEstimate(10, span(-500, 0)).consumedPerSec, 0);
  });
});
