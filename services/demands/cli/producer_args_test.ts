import assert from "node:assert/strict";
import { parseDemandsProducerArgs } from "./producer_args.ts";

Deno.test("demands producer args - modes and clear refusals", async (t) => {
  await t.step("modes", () => {
    assert.deepEqual(parseDemandsProducerArgs([]), { mode: "interactive" });
    assert.deepEqual(parseDemandsProducerArgs(["--interactive"]), { mode: "interactive" });
    assert.deepEqual(parseDemandsProducerArgs(["--help"]), { mode: "help" });
    assert.deepEqual(parseDemandsProducerArgs(["--count", "20"]), { mode: "sample", count: 20 });
    assert.deepEqual(parseDemandsProducerArgs(["--count=5", "--rate", "0.5"]), {
      mode: "sample",
      count: 5,
      ratePerSecond: 0.5,
    });
  });
  await t.step("refusals", () => {
    const cases: [string[], RegExp][] = [
      [["--count", "many"], /--count expects a whole number from 1 to 10000000, got "many"/],
      [["--count", "0"], /--count expects a whole number/],
      [["--count", "3", "--rate", "fast"], /--rate expects messages per second.*got "fast"/],
      [["--count", "3", "--rate", "0"], /--rate expects messages per second/],
      [["--rate", "3"], /--rate goes with --count N/],
      [["--count", "3", "--interactive"], /choose --count N or --interactive, not both/],
      [["--nope"], /Unknown option '--nope'/],
      [["extra"], /Unexpected argument 'extra'/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseDemandsProducerArgs(args), message, args.join(" "));
    }
  });
});
