import assert from "node:assert/strict";
import { z } from "zod";
import { InvalidMessageError } from "../core/errors.ts";
import { UNDECODABLE_HEADERS } from "../kafka/undecodable.ts";
import { decodeMessage } from "./decode.ts";

const contract = { schema: z.object({ id: z.string(), n: z.number() }) };
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const STRUCTURED = { "content-type": "application/cloudevents+json; charset=utf-8" };

function rejects(message: { value: Uint8Array | null; headers: Record<string, string> }) {
  try {
    decodeMessage(message, contract);
  } catch (error) {
    assert.ok(error instanceof InvalidMessageError, String(error));
    return error;
  }
  assert.fail("expected the message to be rejected");
}

Deno.test("decodeMessage - CloudEvents binary mode, structured mode and plain JSON", async (t) => {
  await t.step("plain JSON (binary mode or no CloudEvent): the value itself", () => {
    const message = { value: bytes({ id: "a", n: 1 }), headers: { ce_type: "x" } };
    assert.deepEqual(decodeMessage(message, contract), { id: "a", n: 1 });
  });

  await t.step("structured mode: `data` is the value, attributes become ce_ headers", () => {
    const headers: Record<string, string> = { ...STRUCTURED };
    const value = decodeMessage({
      value: bytes({
        specversion: "1.0",
        id: "ev-1",
        source: "/java/orders",
        type: "com.example.created",
        time: "2024-01-01T00:00:00Z",
        datacontenttype: "application/json",
        traceparent: "00-abc-def-01",
        data: { id: "a", n: 2 },
      }),
      headers,
    }, contract);
    assert.deepEqual(value, { id: "a", n: 2 });
    assert.equal(headers.ce_id, "ev-1");
    assert.equal(headers.ce_type, "com.example.created");
    assert.equal(headers.ce_source, "/java/orders");
    assert.equal(headers.ce_traceparent, "00-abc-def-01");
    assert.equal(
      headers.ce_datacontenttype,
      undefined,
      "the content type is not an attribute header",
    );
  });

  await t.step("structured mode with data_base64 of JSON", () => {
    const value = decodeMessage({
      value: bytes({
        specversion: "1.0",
        id: "ev-2",
        source: "s",
        type: "t",
        datacontenttype: "application/json",
        data_base64: btoa(JSON.stringify({ id: "b", n: 3 })),
      }),
      headers: { ...STRUCTURED },
    }, contract);
    assert.deepEqual(value, { id: "b", n: 3 });
  });

  await t.step("a binary header already there is kept", () => {
    const headers: Record<string, string> = { ...STRUCTURED, ce_id: "from-header" };
    decodeMessage({
      value: bytes({
        specversion: "1.0",
        id: "ev",
        source: "s",
        type: "t",
        data: { id: "c", n: 1 },
      }),
      headers,
    }, contract);
    assert.equal(headers.ce_id, "from-header");
  });

  await t.step("invalid structured events are rejected with a reason", () => {
    const cases: [unknown, RegExp, string][] = [
      ["not an object", /not a JSON object/, "INVALID_CLOUDEVENT"],
      [{ id: "x", source: "s", type: "t", data: {} }, /no specversion/, "INVALID_CLOUDEVENT"],
      [
        { specversion: "1.0", id: "x", source: "s", type: "t", data: { id: "a" } },
        /n: /,
        "SCHEMA_MISMATCH",
      ],
      [
        {
          specversion: "1.0",
          id: "x",
          source: "s",
          type: "t",
          datacontenttype: "application/octet-stream",
          data_base64: "AAEC",
        },
        /application\/octet-stream, not JSON/,
        "INVALID_CLOUDEVENT",
      ],
    ];
    for (const [event, message, code] of cases) {
      const headers: Record<string, string> = { ...STRUCTURED };
      const error = rejects({ value: bytes(event), headers });
      assert.match(error.message, message);
      assert.equal(error.code, code);
      assert.equal(headers.ce_id, undefined, "a rejected event adds no headers");
    }
    assert.equal(
      rejects({ value: new TextEncoder().encode("{"), headers: { ...STRUCTURED } }).code,
      "INVALID_CLOUDEVENT",
    );
  });
});

Deno.test("decodeMessage - a marker of an unreadable batch is rejected with its reason", () => {
  const error = rejects({
    value: new Uint8Array([1, 2, 3]),
    headers: {
      [UNDECODABLE_HEADERS.reason]: "the batch is compressed with codec 6",
      [UNDECODABLE_HEADERS.code]: "UNKNOWN_CODEC",
    },
  });
  assert.equal(error.message, "the batch is compressed with codec 6");
  assert.equal(error.code, "UNKNOWN_CODEC");
  assert.equal(error.retriable, false);
});
