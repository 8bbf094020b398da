import assert from "node:assert/strict";
import { frame, isFramed, unframe } from "./wire_format.ts";
import { schemaTypeOf } from "./schema_type.ts";

Deno.test("wire format - frames and unframes as Confluent's serializers do", async (t) => {
  const payload = new Uint8Array([9, 8, 7]);
  await t.step("Avro / JSON: magic, big-endian id, payload", () => {
    const framed = frame(258, payload);
    assert.deepEqual([...framed], [0, 0, 0, 1, 2, 9, 8, 7]);
    assert.deepEqual(unframe(framed), { schemaId: 258, indexes: [], payload });
  });
  await t.step("Protobuf: [0] is one 0 byte; other paths a zigzag count then indexes", () => {
    assert.deepEqual([...frame(1, payload, [0])], [0, 0, 0, 0, 1, 0, 9, 8, 7]);
    const nested = frame(1, payload, [1, 2]);
    assert.deepEqual([...nested.subarray(5, 8)], [4, 2, 4]);
    assert.deepEqual(unframe(nested, true).indexes, [1, 2]);
    assert.deepEqual(unframe(frame(1, payload, [0]), true).indexes, [0]);
    assert.deepEqual(unframe(nested, true).payload, payload);
  });
  await t.step("not framed: no magic byte, or too short", () => {
    assert.equal(isFramed(new TextEncoder().encode('{"a":1}')), false);
    assert.equal(isFramed(new Uint8Array([0, 0, 1])), false);
    assert.equal(isFramed(null), false);
    assert.throws(() => unframe(new Uint8Array([1, 2, 3, 4, 5])), /magic byte/);
  });
});

Deno.test("schema type - declared, else told from the text", () => {
  assert.equal(schemaTypeOf("{}", "PROTOBUF"), "PROTOBUF");
  assert.equal(schemaTypeOf('syntax = "proto3"; message A {}'), "PROTOBUF");
  assert.equal(schemaTypeOf('{"type":"record","name":"A","fields":[]}'), "AVRO");
  assert.equal(schemaTypeOf('"string"'), "AVRO");
  assert.equal(schemaTypeOf('["null","string"]'), "AVRO");
  assert.equal(schemaTypeOf('{"type":"object","properties":{}}'), "JSON");
});
