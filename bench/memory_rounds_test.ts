import assert from "node:assert/strict";
import { median, mib, roundFigures, roundMarks } from "./memory_rounds.ts";

Deno.test("roundMarks - a warm-up pass, then ten equal rounds ending at the backlog", () => {
  const marks = roundMarks(110_000);
  assert.equal(marks.length, 11);
  assert.equal(marks[0], 10_000);
  assert.equal(marks[1], 20_000);
  assert.equal(marks.at(-1), 110_000);
  assert.deepEqual(roundMarks(100, 3, 1), [25, 50, 75, 100]);
  // Uneven backlogs: rounded, increasing, the last one the whole backlog.
  const odd = roundMarks(1_000_003);
  assert.equal(odd.at(-1), 1_000_003);
  assert.ok(odd.every((m, i) => i === 0 || m > odd[i - 1]));
});

Deno.test("roundMarks - refuses a backlog smaller than its passes", () => {
  assert.throws(() => roundMarks(10), /cannot be cut into 11 passes/);
  assert.throws(() => roundMarks(20.5), /cannot be cut/);
});

Deno.test("median - the middle, the upper middle of an even count", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 3);
  assert.throws(() => median([]), /median of nothing/);
});

Deno.test("roundFigures - the warm-up is left out of the leak check and the median", () => {
  const MiB = 2 ** 20;
  const passes = [100, 200, 202, 204, 206, 208, 210, 212, 214, 216, 220].map((n) => n * MiB);
  const figures = roundFigures(passes, 230 * MiB);
  assert.deepEqual(figures.warmupMiB, [100]);
  assert.equal(figures.roundsMiB.length, 10);
  assert.equal(figures.leakRatio, 220 / 200);
  assert.equal(figures.steadyMiB, 210);
  assert.equal(figures.peakMiB, 230);
  // A peak sampled below a reading (the 100-ms sampling missed it) is the reading.
  assert.equal(roundFigures(passes, 50 * MiB).peakMiB, 220);
  assert.throws(() => roundFigures([1, 2], 2), /1 counted round/);
});

Deno.test("mib - one decimal", () => {
  assert.equal(mib(1.25 * 2 ** 20), 1.3);
  assert.equal(mib(0), 0);
});
