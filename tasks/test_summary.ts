/**
 * Reads `deno test`'s own summary lines and totals them, so the launcher can
 * print the one closing line CI reads: `N passed, N failed`.
 */

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Totals of one or more `deno test` runs. */
export interface TestTotals {
  passed: number;
  failed: number;
  ignored: number;
}

/**
 * Parses `ok | 12 passed (3 steps) | 0 failed | 1 ignored (2s)` (or
 * `FAILED | ...`) lines out of `output`. Returns undefined when there is none.
 */
export function parseTestSummary(output: string): TestTotals | undefined {
  let totals: TestTotals | undefined;
  for (const raw of output.split("\n")) {
    const line = raw.replace(ANSI, "").trim();
    if (!/^(ok|FAILED) \| \d+ passed/.test(line)) continue;
    const count = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
    totals ??= { passed: 0, failed: 0, ignored: 0 };
    totals.passed += count("passed");
    totals.failed += count("failed");
    totals.ignored += count("ignored");
  }
  return totals;
}
