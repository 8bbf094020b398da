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

/** One failed test as `deno test` lists it, with the first lines of its error. */
export interface TestFailure {
  /** `name => ./tests/file.ts:12:6`, as in deno's FAILURES list. */
  test: string;
  /** The error's first lines (its message), without the stack. */
  error: string[];
}

/**
 * The failed tests of one `deno test` output: the names from its FAILURES
 * list, each with the first `errorLines` lines of its entry in ERRORS. CI
 * keeps only the end of a long log, so the launcher prints these again
 * just before its closing line.
 */
export function parseFailures(output: string, errorLines = 4): TestFailure[] {
  const lines = output.split("\n").map((raw) => raw.replace(ANSI, "").trimEnd());
  const failuresAt = lines.findLastIndex((line) => line.trim() === "FAILURES");
  if (failuresAt < 0) return [];
  const errorsAt = lines.findLastIndex((line, i) => i < failuresAt && line.trim() === "ERRORS");
  const failures: TestFailure[] = [];
  for (const line of lines.slice(failuresAt + 1)) {
    if (/^(ok|FAILED) \| /.test(line)) break;
    if (!line.includes(" => ")) continue;
    const entry = errorsAt < 0 ? -1 : lines.indexOf(line, errorsAt);
    const error: string[] = [];
    for (let i = entry + 1; entry >= 0 && i < failuresAt && error.length < errorLines; i++) {
      if (lines[i] === "" || lines[i].includes(" => ")) break;
      if (!/^\s+at /.test(lines[i])) error.push(lines[i]);
    }
    failures.push({ test: line, error });
  }
  return failures;
}
