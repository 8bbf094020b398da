import assert from "node:assert/strict";
import { pageRows } from "./paging.tsx";

Deno.test("paging - pageRows slices a list and links its pages, keeping the query", async (t) => {
  const rows = Array.from({ length: 120 }, (_, i) => i);
  const at = (query: string) => new URL(`http://x/console/groups${query}`);
  await t.step("the first page by default", () => {
    const p = pageRows(rows, at("?q=a"), 50);
    assert.deepEqual([p.rows[0], p.rows.length, p.page, p.total], [0, 50, 1, 120]);
    assert.equal(p.href(2), "/console/groups?q=a&page=2");
    assert.equal(p.href(1), "/console/groups?q=a");
  });
  await t.step("the last page is short; past the end is the last", () => {
    assert.deepEqual(pageRows(rows, at("?page=3"), 50).rows, rows.slice(100));
    assert.equal(pageRows(rows, at("?page=99"), 50).page, 3);
  });
  await t.step("nonsense is the first page; an empty list has one page", () => {
    assert.equal(pageRows(rows, at("?page=abc"), 50).page, 1);
    assert.equal(pageRows(rows, at("?page=-4"), 50).page, 1);
    const empty = pageRows([], at("?page=2"), 50);
    assert.deepEqual([empty.page, empty.rows.length, empty.href(1)], [1, 0, "/console/groups"]);
  });
});
