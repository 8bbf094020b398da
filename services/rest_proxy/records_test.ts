import assert from "node:assert/strict";
import { RestProxyError } from "./errors.ts";
import { parseRecords } from "./records.ts";

const body = (records: unknown) => JSON.stringify({ records });

Deno.test("rest proxy records - json embeds are JSON.stringify'd; absent and null are Kafka nulls", () => {
  const [a, b] = parseRecords(
    body([{ key: "k", value: { x: [1, "é"] }, partition: 2 }, { key: null }]),
    { format: "json", partitionInUrl: false },
  );
  assert.deepEqual(a, { key: '"k"', value: '{"x":[1,"é"]}', partition: 2 });
  assert.deepEqual(b, { key: null, value: null, partition: undefined });
});

Deno.test("rest proxy records - binary embeds are base64, padded or not", () => {
  const records = parseRecords(
    body([{ key: "a2V5", value: "a2Fma2E=" }, { value: "a2Fma2E" }, { value: "" }]),
    { format: "binary", partitionInUrl: false },
  );
  assert.deepEqual(
    records.map((r) => r.value && new TextDecoder().decode(r.value as Uint8Array)),
    ["kafka", "kafka", ""],
  );
  assert.equal(new TextDecoder().decode(records[0].key as Uint8Array), "key");
  for (const bad of ["a", "a2V5!", "a2V5 ", "a===", 5]) {
    assert.throws(
      () => parseRecords(body([{ value: bad }]), { format: "binary", partitionInUrl: false }),
      (e) => e instanceof RestProxyError && e.errorCode === 42203,
      String(bad),
    );
  }
});
