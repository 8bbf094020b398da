import assert from "node:assert/strict";
import { defaultLoginLimits, FailureLimiter } from "./rate_limit.ts";

Deno.test("FailureLimiter - refused after maxFailures in the window, until the oldest ages out", () => {
  let now = 1_000;
  const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 100, now: () => now });
  limiter.fail("a");
  now += 10;
  limiter.fail("a");
  assert.equal(limiter.retryAfterMs("a"), 0, "two of three");
  now += 10;
  limiter.fail("a");
  assert.equal(limiter.retryAfterMs("a"), 80, "the first failure is 20 ms old of 100");
  assert.equal(limiter.retryAfterMs("b"), 0, "keys are apart");
  now += 80;
  assert.equal(limiter.retryAfterMs("a"), 0, "the first failure left the window");
  limiter.fail("a");
  assert.equal(limiter.retryAfterMs("a"), 10, "the second one is now the oldest of three");
  limiter.reset("a");
  assert.equal(limiter.retryAfterMs("a"), 0);
});

Deno.test("FailureLimiter - settings that would never refuse or never forgive are refused", () => {
  assert.throws(() => new FailureLimiter({ maxFailures: 0, windowMs: 1 }), RangeError);
  assert.throws(() => new FailureLimiter({ maxFailures: 1, windowMs: 0 }), RangeError);
  assert.throws(() => new FailureLimiter({ maxFailures: Number.NaN, windowMs: 1 }), RangeError);
});

Deno.test("defaultLoginLimits - 5 per address and user, 20 per address, in 15 minutes", () => {
  let now = 0;
  const limits = defaultLoginLimits(() => now);
  for (let i = 0; i < 5; i++) limits.perUser.fail("1.2.3.4 viewer");
  assert.equal(limits.perUser.retryAfterMs("1.2.3.4 viewer"), 15 * 60_000);
  assert.equal(limits.perClient.maxFailures, 20);
  now = 15 * 60_000;
  assert.equal(limits.perUser.retryAfterMs("1.2.3.4 viewer"), 0);
});
