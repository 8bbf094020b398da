import assert from "node:assert/strict";
import { formatPositions, parseBrowseQuery, parsePositions } from "./browse_query.ts";

const parse = (query: string) => parseBrowseQuery(new URLSearchParams(query));

Deno.test("parseBrowseQuery - seeks, filters, budgets, and every problem at once", async (t) => {
  await t.step("defaults: newest 50, all partitions, no filter, the default budget", () => {
    const parsed = parse("");
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request.seek, { kind: "newest" });
    assert.equal(parsed.request.limit, 50);
    assert.equal(parsed.request.partition, undefined);
    assert.deepEqual(parsed.request.filter, {});
    assert.deepEqual(parsed.request.budget, { maxMessages: 1_000_000, maxMs: 10_000 });
  });
  await t.step("each seek", () => {
    const at = (q: string) => {
      const p = parse(q);
      assert.ok(p.ok, q);
      return p.request.seek;
    };
    assert.deepEqual(at("seek=oldest"), { kind: "oldest" });
    assert.deepEqual(at("seek=offset&offset=42&partition=2"), { kind: "offset", offset: 42 });
    assert.deepEqual(at("seek=timestamp&timestamp=2024-01-01T00:00:00Z"), {
      kind: "timestamp",
      timestampMs: Date.parse("2024-01-01T00:00:00Z"),
    });
    assert.deepEqual(at("seek=timestamp&timestamp=1700000000000"), {
      kind: "timestamp",
      timestampMs: 1_700_000_000_000,
    });
    assert.deepEqual(at("seek=before&positions=0:10,2:7"), {
      kind: "before",
      positions: { 0: 10, 2: 7 },
    });
  });
  await t.step("filters with their match modes (key equals by default)", () => {
    const parsed = parse(
      "key=a&value=b&valueMatch=equals&header=h&headerValue=v&headerMatch=equals",
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request.filter, {
      key: { text: "a", mode: "equals" },
      value: { text: "b", mode: "equals" },
      header: { name: "h", value: { text: "v", mode: "equals" } },
    });
  });
  await t.step("every problem is listed", () => {
    const parsed = parse(
      "seek=sideways&limit=0&partition=x&keyMatch=regex&headerValue=v&maxMessages=-1&maxMs=99999999",
    );
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.problems.length, 7, parsed.problems.join("\n"));
  });
  await t.step("positions round-trip and reject junk", () => {
    assert.equal(formatPositions(parsePositions("0:1,1:22")!), "0:1,1:22");
    assert.equal(parsePositions("0:1:2"), undefined);
    assert.equal(parsePositions("a:1"), undefined);
  });
});
