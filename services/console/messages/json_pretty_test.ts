import assert from "node:assert/strict";
import { isJsonDocument, prettyJson } from "./json_pretty.ts";

Deno.test("prettyJson - indents like JSON.stringify(…, 2) and keeps numbers verbatim", async (t) => {
  await t.step("same layout as JSON.stringify for ordinary documents", () => {
    for (
      const doc of [
        { a: 1, b: [1, 2, { c: "x, y: {z}" }], d: {}, e: [], f: null, g: 'quote " and \\' },
        [{ orderId: "1", items: [{ q: 2 }] }],
      ]
    ) {
      assert.equal(prettyJson(JSON.stringify(doc)), JSON.stringify(doc, null, 2));
    }
  });
  await t.step("big integers and exponents are not rounded", () => {
    assert.equal(
      prettyJson('{"id":12345678901234567890,"x":1.50e3}'),
      '{\n  "id": 12345678901234567890,\n  "x": 1.50e3\n}',
    );
  });
  await t.step("only objects and arrays count as JSON documents", () => {
    assert.equal(isJsonDocument(' {"a":1}'), true);
    assert.equal(isJsonDocument("[1,2"), false);
    assert.equal(isJsonDocument("42"), false);
    assert.equal(isJsonDocument("<script>"), false);
  });
});
