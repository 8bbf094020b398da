import assert from "node:assert/strict";
import { describePurge, parsePurge } from "./purge_input.ts";

Deno.test("parsePurge - reads each way to say where a purge stops, and names every problem", async (t) => {
  await t.step("an offset in one partition", () => {
    assert.deepEqual(parsePurge({ partition: "2", before: "offset", offset: "120" }), {
      ok: true,
      value: { partition: 2, before: { kind: "offset", offset: 120 } },
    });
  });
  await t.step("a time, for the whole topic (ISO or milliseconds)", () => {
    const iso = parsePurge({
      partition: "all",
      before: "timestamp",
      timestamp: "2024-05-01T10:00:00Z",
    });
    assert.deepEqual(iso, {
      ok: true,
      value: {
        partition: undefined,
        before: { kind: "timestamp", timestampMs: Date.parse("2024-05-01T10:00:00Z") },
      },
    });
    const ms = parsePurge({ before: "timestamp", timestamp: 1714557600000 });
    assert.equal(
      ms.ok && ms.value.before.kind === "timestamp" && ms.value.before.timestampMs,
      1714557600000,
    );
  });
  await t.step("the end: every record", () => {
    assert.deepEqual(parsePurge({ before: "end" }), {
      ok: true,
      value: { partition: undefined, before: { kind: "end" } },
    });
  });
  await t.step("an offset without a partition is refused, saying why", () => {
    const parsed = parsePurge({ before: "offset", offset: 5 });
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.problems[0] : "", /position in one partition/);
  });
  await t.step("every problem at once", () => {
    const parsed = parsePurge({ partition: "-1", before: "yesterday" });
    assert.deepEqual(!parsed.ok && parsed.problems, [
      "partition must be a partition number or all",
      "before must be one of offset, timestamp, end",
    ]);
    for (const offset of ["", "x", "-3", "1.5"]) {
      assert.equal(parsePurge({ partition: 0, before: "offset", offset }).ok, false, offset);
    }
    assert.equal(parsePurge({ before: "timestamp", timestamp: "not a time" }).ok, false);
  });
  await t.step("described in words", () => {
    assert.equal(
      describePurge({ partition: 1, before: { kind: "offset", offset: 9 } }),
      "records of partition 1 before offset 9",
    );
    assert.equal(describePurge({ before: { kind: "end" } }), "every record of every partition");
  });
});
