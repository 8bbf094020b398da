import assert from "node:assert/strict";
import { exportRequest, resumeUrl } from "./export_request.ts";
import { exportHref } from "./web/export_links.tsx";

const at = (query: string) => new URL(`http://x/api/topics/t/messages/export?${query}`);

Deno.test("export query - forward starts, a format, the browser's filters and budgets", async (t) => {
  await t.step("defaults: NDJSON from the oldest offset, the largest search budget", () => {
    const { request, format } = exportRequest("t", at(""));
    assert.equal(format, "ndjson");
    assert.deepEqual(request.seek, { kind: "oldest" });
    assert.deepEqual(request.budget, { maxMessages: 20_000_000, maxMs: 60_000 });
    assert.deepEqual(exportRequest("t", at("maxMs=5000")).request.budget.maxMs, 5_000);
  });
  await t.step("filters, partition, budget and a resume position", () => {
    const { request, format } = exportRequest(
      "t",
      at("format=csv&value=x&partition=2&seek=after&positions=2:40&maxMessages=5&limit=3"),
    );
    assert.equal(format, "csv");
    assert.deepEqual(request.filter, { value: { text: "x", mode: "contains" } });
    assert.equal(request.partition, 2);
    assert.deepEqual(request.seek, { kind: "after", positions: { 2: 40 } });
    assert.equal(request.budget.maxMessages, 5);
  });
  await t.step("a backward start, an unknown format and the browser's problems, at once", () => {
    assert.throws(
      () => exportRequest("t", at("seek=newest&format=xml&maxMs=5")),
      /format: expected ndjson or csv; seek: an export reads forward .*; maxMs: expected an integer/,
    );
  });
  await t.step("the resume URL keeps the query and moves the start", () => {
    const url = at("format=csv&value=x&seek=offset&offset=9");
    assert.equal(
      resumeUrl(url, { 0: 12, 1: 7 }),
      "/api/topics/t/messages/export?format=csv&value=x&seek=after&positions=0%3A12%2C1%3A7",
    );
  });
  await t.step("the browser's link: its filters, forward, without its page size", () => {
    assert.equal(
      exportHref("t", { seek: "newest", value: "x", limit: "50", key: "" }, "ndjson"),
      "/api/topics/t/messages/export?value=x&format=ndjson",
    );
    assert.equal(
      exportHref("a b", { seek: "timestamp", timestamp: "2024-01-01" }, "csv"),
      "/api/topics/a%20b/messages/export?seek=timestamp&timestamp=2024-01-01&format=csv",
    );
  });
});
