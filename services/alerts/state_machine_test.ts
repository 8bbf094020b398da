import assert from "node:assert/strict";
import { type AlertState, type Observation, step } from "./state_machine.ts";

const on: Observation = { instance: "g1", active: true, summary: "g1 is 40 s behind" };
const off: Observation = { instance: "g1", active: false, summary: "g1 is back" };
const unknown: Observation = { instance: "g1", active: undefined, summary: "?" };
const timing = { forMs: 10_000, repeatMs: 60_000 };

/** Runs `observations` at the given times; returns each step's event and whether it was sent. */
function run(
  plan: [number, Observation, boolean?][],
  rule = timing,
): { at: number; event?: string; send: boolean; state?: AlertState["state"] }[] {
  let state: AlertState | undefined;
  let episode = 0;
  return plan.map(([at, observation, silenced]) => {
    const s = step(state, observation, rule, at, silenced ?? false);
    state = s.next ?? undefined;
    if (state && state.episode === null && s.event) state = { ...state, episode: ++episode };
    return { at, event: s.event, send: s.send, state: state?.state };
  });
}

Deno.test("alert state machine - fires after for, repeats, resolves once", async (t) => {
  await t.step("pending, then firing once the condition held for `for`", () => {
    assert.deepEqual(run([[0, on], [5_000, on], [10_000, on], [20_000, on]]), [
      { at: 0, event: undefined, send: false, state: "pending" },
      { at: 5_000, event: undefined, send: false, state: "pending" },
      { at: 10_000, event: "firing", send: true, state: "firing" },
      { at: 20_000, event: undefined, send: false, state: "firing" },
    ]);
  });
  await t.step("a condition that ends while pending never fires", () => {
    assert.deepEqual(run([[0, on], [5_000, off], [6_000, on]]).map((s) => s.event), [
      undefined,
      undefined,
      undefined,
    ]);
  });
  await t.step("for=0 fires at once; resolved once, then nothing", () => {
    assert.deepEqual(
      run([[0, on], [1, off], [2, off]], { forMs: 0, repeatMs: 0 }).map((s) => [s.event, s.send]),
      [["firing", true], ["resolved", true], [undefined, false]],
    );
  });
  await t.step("repeated every `repeat` while firing, never with repeat=0", () => {
    const events = run([[0, on], [10_000, on], [69_000, on], [70_000, on], [100_000, on], [
      130_000,
      on,
    ]])
      .map((s) => s.event);
    assert.deepEqual(events, [undefined, "firing", undefined, "repeat", undefined, "repeat"]);
    const none = run([[0, on], [1, on], [1e9, on]], { forMs: 0, repeatMs: 0 }).map((s) => s.event);
    assert.deepEqual(none, ["firing", undefined, undefined]);
  });
  await t.step("unknown observations change nothing", () => {
    assert.deepEqual(run([[0, on], [10_000, unknown], [11_000, on]]).map((s) => s.event), [
      undefined,
      undefined,
      "firing",
    ]);
    assert.deepEqual(
      run([[0, on], [10_000, on], [20_000, unknown], [30_000, off]]).map((s) => s.event),
      [undefined, "firing", undefined, "resolved"],
    );
  });
});

Deno.test("alert state machine - silences hold back firing and repeats, not resolutions", async (t) => {
  await t.step("fired while silenced: recorded, not sent; resolved unsent too", () => {
    assert.deepEqual(
      run([[0, on, true], [10_000, on, true], [20_000, off, true]]).map((s) => [s.event, s.send]),
      [[undefined, false], ["silenced", false], ["resolved", false]],
    );
  });
  await t.step("the silence ends while it fires: sent then, and its resolution after", () => {
    assert.deepEqual(
      run([[0, on, true], [10_000, on, true], [15_000, on, false], [16_000, off]]).map((
        s,
      ) => [s.event, s.send]),
      [[undefined, false], ["silenced", false], ["firing", true], ["resolved", true]],
    );
  });
  await t.step("silenced after it fired: no repeat, but the resolution is sent", () => {
    assert.deepEqual(
      run([[0, on], [10_000, on], [80_000, on, true], [90_000, off, true]]).map((
        s,
      ) => [s.event, s.send]),
      [[undefined, false], ["firing", true], [undefined, false], ["resolved", true]],
    );
  });
});
