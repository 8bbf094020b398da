/**
 * A short fault campaign with a fixed seed (tests/chaos/campaign/): seed
 * 173's two minutes draw eleven kinds of fault, a recreated topic and
 * deleted records among them. `deno task chaos:campaign` runs any seed
 * for any length.
 */
import assert from "node:assert/strict";
import { runCampaign } from "./campaign/campaign.ts";

Deno.test("chaos - fault campaign seed=173, 2 minutes: 0 lost, 0 duplicated, 0 stuck", async () => {
  const lines: string[] = [];
  const result = await runCampaign({
    seed: 173,
    minutes: 2,
    print: (line) => {
      lines.push(line);
      console.log(line);
    },
  });
  assert.equal(result.faults, 14);
  assert.ok(result.messages > 300, `${result.messages} messages`);
  assert.deepEqual(
    { lost: result.lost, duplicated: result.duplicated, stuck: result.stuck },
    { lost: 0, duplicated: 0, stuck: 0 },
    result.problems.slice(0, 20).join("\n"),
  );
  assert.ok(
    result.coveredByGaps > 0,
    "the records deleted ahead of the sink were reported as gaps",
  );
  assert.deepEqual(result.badStops, []);
  assert.match(
    lines.at(-1)!,
    /^campaign seed=173: 14 faults, \d+ messages, 0 lost, 0 duplicated, 0 stuck$/,
  );
});
