import assert from "node:assert/strict";
import { DEFAULT_RATE_PER_SEC, parseReplay } from "./replay_input.ts";

Deno.test("replay input - bounds, filters, rate and every problem at once", async (t) => {
  await t.step("defaults: every partition, oldest to the end, no filter", () => {
    const parsed = parseReplay({ target: "copy" });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      target: "copy",
      partition: undefined,
      from: { kind: "oldest" },
      until: { kind: "end" },
      filter: {},
      ratePerSec: DEFAULT_RATE_PER_SEC,
      dryRun: false,
    });
  });
  await t.step("offsets, times, filters and a dry run, as form strings or JSON", () => {
    const parsed = parseReplay({
      target: "copy",
      partition: "2",
      from: "offset",
      fromOffset: "10",
      until: "timestamp",
      untilTimestamp: "2024-05-01T10:00:00Z",
      value: "x",
      key: "k",
      keyMatch: "contains",
      ratePerSec: 50,
      dryRun: "1",
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.partition, 2);
    assert.deepEqual(parsed.value.from, { kind: "offset", offset: 10 });
    assert.deepEqual(parsed.value.until, {
      kind: "timestamp",
      timestampMs: Date.parse("2024-05-01T10:00:00Z"),
    });
    assert.deepEqual(parsed.value.filter, {
      key: { text: "k", mode: "contains" },
      value: { text: "x", mode: "contains" },
    });
    assert.equal(parsed.value.ratePerSec, 50);
    assert.equal(parsed.value.dryRun, true);
  });
  await t.step("an empty range, a bad target, partition, rate and filter: all named", () => {
    const parsed = parseReplay({
      target: "a b",
      partition: "x",
      from: "offset",
      fromOffset: "9",
      until: "offset",
      untilOffset: "9",
      ratePerSec: "100001",
      headerValue: "v",
    });
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.problems, [
      "target: a topic name is 1-249 letters, digits, '.', '_' or '-'",
      "partition must be a partition number or all",
      "untilOffset must be above fromOffset (the range ends before it)",
      "headerValue: give the header's name in header",
      "ratePerSec must be an integer from 1 to 100000",
    ]);
    const missing = parseReplay({ from: "timestamp", until: "later" });
    assert.ok(!missing.ok);
    assert.deepEqual(missing.problems, [
      "target: name the topic to copy the records to",
      "fromTimestamp must be an ISO 8601 time or milliseconds since the epoch",
      "until must be one of end, offset, timestamp",
    ]);
  });
});
