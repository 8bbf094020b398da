import assert from "node:assert/strict";
import { parseFailures, parseTestSummary } from "./test_summary.ts";

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

Deno.test("test summary - names each failed test with its error's first lines", async (t) => {
  const output = [
    "running 3 tests from ./a_test.ts",
    "\x1b[0m\x1b[1m\x1b[37m\x1b[41m ERRORS \x1b[0m",
    "",
    "one fails \x1b[0m\x1b[38;5;245m=> ./a_test.ts:1:6\x1b[0m",
    "\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Error: boom",
    "second line",
    "    at file:///tmp/a_test.ts:1:38",
    "",
    "with steps ... inner \x1b[0m\x1b[38;5;245m=> ./a_test.ts:2:48\x1b[0m",
    "error: Error: x",
    "    at innerWrapped (ext:cli/40_test.js:300:11)",
    "",
    "\x1b[0m\x1b[1m\x1b[37m\x1b[41m FAILURES \x1b[0m",
    "",
    "one fails \x1b[0m\x1b[38;5;245m=> ./a_test.ts:1:6\x1b[0m",
    "with steps ... inner \x1b[0m\x1b[38;5;245m=> ./a_test.ts:2:48\x1b[0m",
    "",
    "\x1b[0m\x1b[31mFAILED\x1b[0m | 1 passed | 2 failed (1 step) \x1b[0m\x1b[38;5;245m(6ms)\x1b[0m",
  ].join("\n");
  await t.step("every failure, in deno's order, with its message and no stack", () => {
    assert.deepEqual(parseFailures(output), [
      { test: "one fails => ./a_test.ts:1:6", error: ["error: Error: boom", "second line"] },
      { test: "with steps ... inner => ./a_test.ts:2:48", error: ["error: Error: x"] },
    ]);
  });
  await t.step("at most the lines asked for", () => {
    assert.deepEqual(parseFailures(output, 1)[0].error, ["error: Error: boom"]);
  });
  await t.step("none when every test passed", () => {
    assert.deepEqual(parseFailures("ok | 3 passed | 0 failed (1s)"), []);
  });
});
