import assert from "node:assert/strict";
import { integerHeader, isDeadLetterTopic } from "./conventions.ts";

Deno.test("dead-letter conventions - integers as decimal strings or big-endian ints and longs", () => {
  const be = (bytes: number[]) => new Uint8Array(bytes);
  assert.equal(integerHeader(new TextEncoder().encode("42")), 42);
  assert.equal(integerHeader(new TextEncoder().encode("1234")), 1234, "4 ASCII digits are decimal");
  assert.equal(integerHeader(be([0, 0, 0, 7])), 7, "Spring's partition");
  assert.equal(integerHeader(be([0, 0, 0, 0, 0, 0, 0x30, 0x39])), 12345, "Spring's offset");
  assert.equal(integerHeader(be([0, 0, 0x01, 0x8f, 0x33, 0x0b, 0xe4, 0x00])), 1714548368384);
  assert.equal(integerHeader(be([1, 2, 3])), null);
  assert.equal(integerHeader(null), null);
});

Deno.test("dead-letter conventions - which topics are dead-letter topics", () => {
  for (
    const yes of ["orders.dlq", "orders.DLT", "orders-dlt", "orders-dlq", "dlq-jdbc-sink", "dlt.x"]
  ) {
    assert.ok(isDeadLetterTopic(yes), yes);
  }
  for (const no of ["orders", "dlq", "orders.dlqs", "__consumer_offsets", "__x.dlq", "sandlt"]) {
    assert.ok(!isDeadLetterTopic(no), no);
  }
});
