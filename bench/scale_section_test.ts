import assert from "node:assert/strict";
import { spread } from "./scale_section.ts";

Deno.test("scale - 2,000 partitions spread over 300 topics: 6 or 7 each, summing exactly", () => {
  const counts = spread(300, 2_000);
  assert.equal(counts.length, 300);
  assert.equal(counts.reduce((a, b) => a + b, 0), 2_000);
  assert.deepEqual([...new Set(counts)].sort(), [6, 7]);
  assert.deepEqual(spread(3, 3), [1, 1, 1]);
});
