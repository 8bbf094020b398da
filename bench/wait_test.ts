import assert from "node:assert/strict";
import { WaitTimeoutError, waitUntil } from "./wait.ts";

Deno.test("waitUntil - returns the calls a condition took; times out naming what it saw", async (t) => {
  await t.step("met on the third call", async () => {
    let calls = 0;
    const took = await waitUntil("three calls", () => ++calls === 3, {
      timeoutMs: 5_000,
      intervalMs: 1,
    });
    assert.equal(took, 3);
  });
  await t.step(
    "never met: a WaitTimeoutError with the last thing seen, within the bound",
    async () => {
      const started = performance.now();
      let seen = 0;
      const expected: number = 200;
      const error = await waitUntil("200 partitions", () => (seen = 80) === expected, {
        timeoutMs: 100,
        intervalMs: 10,
        lastSeen: () => `${seen} partitions`,
      }).catch((e) => e);
      assert.ok(error instanceof WaitTimeoutError);
      assert.match(error.message, /waiting for 200 partitions \(last seen: 80 partitions\)/);
      assert.equal(error.code, "BENCH_WAIT_TIMEOUT");
      assert.ok(performance.now() - started < 1_000);
    },
  );
});
