import assert from "node:assert/strict";
import { parseProducerArgs, parseSaldoInput } from "./producer_input.ts";

Deno.test("producer input - arguments choose the mode or say what is wrong", async (t) => {
  await t.step("modes", () => {
    assert.deepEqual(parseProducerArgs([]), { mode: "interactive" });
    assert.deepEqual(parseProducerArgs(["--interactive"]), { mode: "interactive" });
    assert.deepEqual(parseProducerArgs(["--count", "5"]), {
      mode: "sample",
      count: 5,
      accounts: 10,
    });
    assert.deepEqual(parseProducerArgs(["--count=7", "--accounts=3"]), {
      mode: "sample",
      count: 7,
      accounts: 3,
    });
    assert.deepEqual(parseProducerArgs(["-h"]), { mode: "help" });
  });
  await t.step("errors", () => {
    const cases: [string[], RegExp][] = [
      [["--count", "abc"], /--count expects a whole number from 1 to/],
      [["--count", "0"], /--count expects a whole number/],
      [["--count", "1.5"], /--count expects a whole number/],
      [["--count", "3", "--interactive"], /not both/],
      [["--accounts", "3"], /--accounts goes with --count/],
      [["--nope"], /Unknown option '--nope'/],
      [["extra"], /extra/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseProducerArgs(args), message, args.join(" "));
    }
  });
});

Deno.test("producer input - a typed balance is a number, a decimal comma is fine, empty deletes", () => {
  assert.deepEqual(parseSaldoInput("150"), { ok: true, saldo: 150 });
  assert.deepEqual(parseSaldoInput(" -20.5 "), { ok: true, saldo: -20.5 });
  assert.deepEqual(parseSaldoInput("150,75"), { ok: true, saldo: 150.75 });
  assert.deepEqual(parseSaldoInput(".5"), { ok: true, saldo: 0.5 });
  assert.deepEqual(parseSaldoInput(""), { ok: true, saldo: null });
  for (const bad of ["abc", "1.2.3", "1,000.50", "1e3", "NaN", "Infinity", "12 34"]) {
    const result = parseSaldoInput(bad);
    assert.equal(result.ok, false, bad);
  }
  assert.match((parseSaldoInput("abc") as { error: string }).error, /not a number: "abc"/);
  assert.match((parseSaldoInput("9".repeat(16)) as { error: string }).error, /too large/);
});
