import assert from "node:assert/strict";
import { parseTestSummary } from "./test_summary.ts";

Deno.test("test summary - reads deno test's closing line", async (t) => {
  await t.step("all passed", () => {
    assert.deepEqual(
      parseTestSummary("x\n\x1b[32mok\x1b[0m | 12 passed (3 steps) | 0 failed (2s)\n"),
      {
        passed: 12,
        failed: 0,
        ignored: 0,
      },
    );
  });
  await t.step("failures and ignored", () => {
    assert.deepEqual(parseTestSummary("FAILED | 10 passed | 2 failed | 1 ignored (9s)"), {
      passed: 10,
      failed: 2,
      ignored: 1,
    });
  });
  await t.step("no summary (crash before the end)", () => {
    assert.equal(parseTestSummary("error: Module not found"), undefined);
  });
});
