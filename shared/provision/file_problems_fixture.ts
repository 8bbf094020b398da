/** What the provisioning files' tests share: the problems a parser reports, and one-problem cases. */
import assert from "node:assert/strict";
import { ProvisionFileError } from "./lines.ts";

/** The problems `parse` reports for `text` (it must refuse it). */
export function problemsOf(parse: (text: string) => unknown, text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ProvisionFileError, `unexpected ${error}`);
    return error.problems;
  }
  assert.fail("the file was accepted");
}

/** Each case `[name, text, expected]`: one problem, starting with `expected`, as a step. */
export async function oneProblemEach(
  t: Deno.TestContext,
  parse: (text: string) => unknown,
  cases: [string, string, string][],
): Promise<void> {
  for (const [name, text, expected] of cases) {
    await t.step(name, () => {
      const problems = problemsOf(parse, text);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(
        problems[0].startsWith(expected),
        `${problems[0]}\ndoes not start with\n${expected}`,
      );
    });
  }
}
