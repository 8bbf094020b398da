import assert from "node:assert/strict";
import { NEEDLE, needlesIn, searchRecord } from "./console_memory.ts";

Deno.test("needlesIn - counts the records that hold the needle", () => {
  for (const records of [1, 50_000, 50_001, 149_999, 150_000, 150_001, 250_001]) {
    let found = 0;
    for (let i = 0; i < records; i++) if (searchRecord(i).value.includes(NEEDLE)) found++;
    assert.equal(needlesIn(records), found, `${records} records`);
  }
  assert.equal(needlesIn(1_000_000), 10);
});

Deno.test("searchRecord - small records, keys unique", () => {
  const { key, value } = searchRecord(123_456);
  assert.equal(key, "k-123456");
  assert.ok(value.length < 80, value);
  assert.ok(!value.includes(NEEDLE));
});
