import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "./duration.ts";

Deno.test("parseDuration - reads a number and a unit", async (t) => {
  await t.step("units", () => {
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("5s"), 5_000);
    assert.equal(parseDuration("1m"), 60_000);
    assert.equal(parseDuration("6h"), 21_600_000);
    assert.equal(parseDuration(" 7d "), 604_800_000);
  });
  await t.step("anything else is undefined", () => {
    for (const bad of ["", "5", "0s", "-1s", "1.5h", "5 minutes", "1w", "s"]) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });
});

Deno.test("formatDuration - the two largest units", () => {
  assert.equal(formatDuration(850), "850ms");
  assert.equal(formatDuration(42_000), "42s");
  assert.equal(formatDuration(65_000), "1m 5s");
  assert.equal(formatDuration(3_600_000), "1h");
  assert.equal(formatDuration(3_900_000), "1h 5m");
  assert.equal(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59_000), "2d 3h");
  assert.equal(formatDuration(Number.NaN), "—");
});
