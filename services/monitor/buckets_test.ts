import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "./config.ts";
import { bucketOf } from "./buckets.ts";

const now = 1_700_000_002_000;

Deno.test("bucketOf - the message's time, at the resolution its age is kept at", async (t) => {
  await t.step("recent: the fine bucket", () => {
    assert.deepEqual(bucketOf(now - 7_000, now, DEFAULT_SETTINGS), {
      res: 5_000,
      t: 1_699_999_995_000,
    });
  });
  await t.step("older than the fine retention: the coarse bucket", () => {
    const ts = now - 7 * 3_600_000;
    assert.deepEqual(bucketOf(ts, now, DEFAULT_SETTINGS), {
      res: 60_000,
      t: Math.floor(ts / 60_000) * 60_000,
    });
  });
  await t.step("older than the coarse retention: none", () => {
    assert.equal(bucketOf(now - 8 * 86_400_000, now, DEFAULT_SETTINGS), undefined);
  });
  await t.step("from the future, or no timestamp: now", () => {
    assert.deepEqual(bucketOf(now + 60_000, now, DEFAULT_SETTINGS), {
      res: 5_000,
      t: 1_700_000_000_000,
    });
    assert.deepEqual(bucketOf(Number.NaN, now, DEFAULT_SETTINGS)?.t, 1_700_000_000_000);
  });
});
