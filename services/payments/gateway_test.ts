import assert from "node:assert/strict";
import { errorCode, isRetriable } from "../../shared/core/errors.ts";
import { simulatedGateway } from "./gateway.ts";

Deno.test("simulated gateway - declines above the limit, approves up to it", () => {
  const gateway = simulatedGateway({ declineAboveCents: 1_000_000 });
  assert.equal(gateway.charge({ idempotencyKey: "a", amountCents: 1_000_000 }).approved, true);
  const declined = gateway.charge({ idempotencyKey: "b", amountCents: 1_000_001 });
  assert.equal(declined.approved, false);
  assert.equal(declined.reason, "amount 10000.01 above the limit of 10000.00");
});

Deno.test("simulated gateway - the same idempotency key returns the first answer", () => {
  const gateway = simulatedGateway({ declineAboveCents: 100 });
  const first = gateway.charge({ idempotencyKey: "k", amountCents: 50 });
  assert.deepEqual(gateway.charge({ idempotencyKey: "k", amountCents: 50 }), first);
});

Deno.test("simulated gateway - unavailable for the first N attempts of each charge, retriably", () => {
  const gateway = simulatedGateway({ declineAboveCents: 100, unavailableAttempts: 2 });
  for (const attempt of [1, 2]) {
    const error = (() => {
      try {
        gateway.charge({ idempotencyKey: "k", amountCents: 50 });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(isRetriable(error), `attempt ${attempt} is retriable`);
    assert.equal(errorCode(error), "GATEWAY_UNAVAILABLE");
  }
  assert.equal(gateway.charge({ idempotencyKey: "k", amountCents: 50 }).approved, true);
  assert.throws(() => gateway.charge({ idempotencyKey: "other", amountCents: 50 }));
});
