import assert from "node:assert/strict";
import { roundTicks } from "./line_chart.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

Deno.test("line chart - x ticks fall on round times of the reader's clock", async (t) => {
  await t.step("15 minutes: every 5 minutes, on the minute", () => {
    const from = Date.UTC(2026, 11, 5, 10, 3, 17);
    const ticks = roundTicks(from, from + 15 * MIN, 6);
    assert.deepEqual(ticks.map((x) => new Date(x).toISOString().slice(11, 16)), [
      "10:05",
      "10:10",
      "10:15",
    ]);
  });
  await t.step("24 hours: every 6 hours, at 00, 06, 12, 18 local (UTC+1)", () => {
    const from = Date.UTC(2026, 11, 4, 23, 51, 23);
    const ticks = roundTicks(from, from + 24 * HOUR, 6, HOUR);
    assert.equal(ticks.length, 4);
    for (const tick of ticks) {
      assert.equal((tick + HOUR) % (6 * HOUR), 0, new Date(tick).toISOString());
    }
  });
  await t.step("7 days: every 2 days at local midnight; never more than asked", () => {
    const from = Date.UTC(2026, 10, 28, 13, 0);
    const ticks = roundTicks(from, from + 7 * 24 * HOUR, 6, -5 * HOUR);
    assert.ok(ticks.length <= 6 && ticks.length >= 3, `${ticks.length}`);
    for (const tick of ticks) assert.equal((tick - 5 * HOUR) % (24 * HOUR), 0);
  });
});
