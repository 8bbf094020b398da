import assert from "node:assert/strict";
import {
  cloudEventHeaders,
  headersToStrings,
  isStructuredEvent,
  parseStructuredEvent,
} from "./cloudevents.ts";

Deno.test("cloudEventHeaders - the ce_ attributes win over extra headers, content-type defaults to JSON", () => {
  const headers = cloudEventHeaders(
    { id: "1", type: "t", source: "s", time: "2026-01-01T00:00:00Z" },
    { ce_id: "spoofed", trace: "x" },
  );
  assert.equal(headers.ce_id, "1");
  assert.equal(headers.ce_specversion, "1.0");
  assert.equal(headers.trace, "x");
  assert.equal(headers["content-type"], "application/json");
  assert.equal(
    cloudEventHeaders({ id: "1", type: "t", source: "s", time: "z" }, {
      "content-type": "text/plain",
    })[
      "content-type"
    ],
    "text/plain",
  );
});

Deno.test("headersToStrings - bytes decoded, the last of repeated values kept, nulls dropped", () => {
  assert.deepEqual(
    headersToStrings({
      a: new TextEncoder().encode("é"),
      b: "plain",
      c: [new TextEncoder().encode("first"), "last"],
      d: null,
      e: undefined,
    }),
    { a: "é", b: "plain", c: "last" },
  );
  assert.deepEqual(headersToStrings(undefined), {});
});

Deno.test("structured mode - recognised by content type, parsed with its data", async (t) => {
  await t.step("the content type, with parameters, any case", () => {
    assert.ok(isStructuredEvent({ "content-type": "Application/CloudEvents+JSON; charset=utf-8" }));
    assert.ok(!isStructuredEvent({ "content-type": "application/json" }));
    assert.ok(!isStructuredEvent({}));
  });
  await t.step("attributes beside JSON data", () => {
    const event = parseStructuredEvent(JSON.stringify({
      specversion: "1.0",
      id: "e1",
      source: "s",
      type: "t",
      subject: null,
      ext: { a: 1 },
      data: { n: 1 },
    }));
    assert.deepEqual(event.attributes, {
      specversion: "1.0",
      id: "e1",
      source: "s",
      type: "t",
      ext: '{"a":1}',
    });
    assert.deepEqual(event.data, { n: 1 });
    assert.equal(event.binaryData, false);
  });
  await t.step("data_base64: bytes, or JSON when its content type says so", () => {
    const base = { specversion: "1.0", id: "e1", source: "s", type: "t" };
    const bytes = parseStructuredEvent(JSON.stringify({ ...base, data_base64: btoa("\x01\x02") }));
    assert.deepEqual(bytes.data, new Uint8Array([1, 2]));
    assert.equal(bytes.binaryData, true);
    const json = parseStructuredEvent(JSON.stringify({
      ...base,
      datacontenttype: "application/vnd.x+json",
      data_base64: btoa('{"n":2}'),
    }));
    assert.deepEqual(json.data, { n: 2 });
  });
  await t.step("what is not a CloudEvent is refused, naming why", () => {
    assert.throws(() => parseStructuredEvent("{x"), /not valid JSON/);
    assert.throws(() => parseStructuredEvent("[1]"), /not a JSON object/);
    assert.throws(
      () => parseStructuredEvent('{"specversion":"1.0","id":"1","source":"s"}'),
      /no type/,
    );
    assert.throws(
      () => parseStructuredEvent('{"specversion":"1.0","id":"","source":"s","type":"t"}'),
      /no id/,
    );
  });
});
