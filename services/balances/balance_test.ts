import assert from "node:assert/strict";
import { accountKey, balanceValueSchema, parseAccountId } from "./balance.ts";

Deno.test("balance - the seed's value shapes are accepted, others rejected", () => {
  const ok = (v: unknown) => balanceValueSchema.safeParse(v).success;
  assert.ok(ok({ cliente_id: "1", saldo: 150.0, timestamp: "2025-10-14T10:30:45" }));
  assert.ok(ok({ cliente_id: 1, saldo: 0, timestamp: 1760437845 }));
  assert.equal(
    balanceValueSchema.parse({ cliente_id: 1, saldo: 1, timestamp: "t" }).cliente_id,
    "1",
  );
  assert.ok(!ok({ cliente_id: "1", saldo: "150", timestamp: "t" }));
  assert.ok(!ok({ cliente_id: "1", saldo: 1 }));
  assert.ok(!ok({ cliente_id: "", saldo: 1, timestamp: "t" }));
  assert.ok(!ok({ cliente_id: 1.5, saldo: 1, timestamp: "t" }));
  assert.ok(!ok({ cliente_id: "1", saldo: 1, timestamp: -1 }));
  assert.deepEqual(parseAccountId("  7 "), { ok: true, id: "7" });
  assert.equal(parseAccountId("x".repeat(201)).ok, false);
});

Deno.test("balance - a null key is skipped, an empty or overlong one is invalid", () => {
  assert.equal(accountKey(null), null);
  assert.equal(accountKey("acct-1"), "acct-1");
  assert.throws(() => accountKey(" "), /empty/);
  assert.throws(() => accountKey("x".repeat(201)), /longer than 200/);
});
