import assert from "node:assert/strict";
import { FreshetError, TransientError } from "../core/errors.ts";
import { backoffDelay, RetryPolicy } from "./retry_policy.ts";

const transient = new TransientError("gateway unavailable");
const poison = new FreshetError("bad order", { code: "BAD", retriable: false });

Deno.test("retry policy - decides per message, never from the messages around it", async (t) => {
  await t.step("a non-retriable error is dead-lettered at once", () => {
    const policy = new RetryPolicy();
    assert.deepEqual(policy.onFailure("t:0:5", poison, 0), { action: "dead-letter", attempts: 1 });
    assert.equal(policy.failures("t:0:5"), undefined);
  });
  await t.step("retriable: backoff doubles per attempt of the same message, capped", () => {
    const policy = new RetryPolicy({ initialRetryMs: 100, maxRetryMs: 1_000 }, () => 0.5);
    const delays = [1, 2, 3, 4, 5, 6].map((i) => {
      const d = policy.onFailure("t:0:5", transient, i);
      assert.equal(d.action, "retry");
      return d.action === "retry" ? d.delayMs : -1;
    });
    assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
    assert.equal(policy.failures("t:0:5")?.attempts, 6);
  });
  await t.step("each message counts its own attempts (the old per-chunk counter did not)", () => {
    const policy = new RetryPolicy({ initialRetryMs: 100 }, () => 0.5);
    assert.equal(policy.hasFailures, false);
    for (let i = 0; i < 3; i++) policy.onFailure("t:0:1", transient, i);
    assert.equal(policy.hasFailures, true);
    policy.settle("t:0:1");
    assert.equal(policy.hasFailures, false);
    const second = policy.onFailure("t:0:2", transient, 10);
    assert.deepEqual(second, { action: "retry", attempts: 1, delayMs: 100, suspect: false });
  });
  await t.step("past its budget a message is suspect, retried at the longest delay", () => {
    const policy = new RetryPolicy({ maxRetryMs: 5_000, messageBudgetMs: 30_000 }, () => 0.5);
    assert.equal(policy.onFailure("t:1:9", transient, 1_000).action, "retry");
    const late = policy.onFailure("t:1:9", transient, 31_000);
    assert.deepEqual(late, { action: "retry", attempts: 2, delayMs: 5_000, suspect: true });
  });
  await t.step("a revoked partition's failures are forgotten, others kept", () => {
    const policy = new RetryPolicy();
    policy.onFailure("t:1:9", transient, 0);
    policy.onFailure("t:2:9", transient, 0);
    policy.forgetPartition("t", 1);
    assert.equal(policy.failures("t:1:9"), undefined);
    assert.equal(policy.failures("t:2:9")?.attempts, 1);
  });
  await t.step("settings are checked when the policy is built", () => {
    assert.throws(() => new RetryPolicy({ maxRetryMs: 0 }), /maxRetryMs must be a positive/);
  });
});

Deno.test("retry policy - backoff jitter stays within ±20 %", () => {
  for (const random of [0, 0.999]) {
    const d = backoffDelay(3, { initialRetryMs: 100, maxRetryMs: 10_000 }, () => random);
    assert.ok(d >= 320 && d <= 480, `${d}`);
  }
});
