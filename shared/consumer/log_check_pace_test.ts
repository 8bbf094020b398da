import assert from "node:assert/strict";
import { IDLE_AFTER_MS, IDLE_LOG_CHECK_MS, LogCheckPace } from "./log_check_pace.ts";

/** The ticks (every 5 s from `from` to `to`) at which `pace` reads the logs. */
function checksBetween(pace: LogCheckPace, from: number, to: number, settled = true): number[] {
  const at: number[] = [];
  for (let now = from; now <= to; now += 5_000) if (pace.due(settled, now)) at.push(now);
  return at;
}

Deno.test("LogCheckPace - every tick until idle, then one every IDLE_LOG_CHECK_MS", () => {
  const pace = new LogCheckPace({ now: 0 });
  const before = checksBetween(pace, 5_000, IDLE_AFTER_MS - 5_000);
  assert.deepEqual(before, [5_000, 10_000, 15_000, 20_000, 25_000], "every tick while not idle");
  const idle = checksBetween(pace, IDLE_AFTER_MS, IDLE_AFTER_MS + 60_000);
  assert.equal(IDLE_LOG_CHECK_MS, 15_000);
  // The last check before idle was at 25 s: the next 15 s after it.
  assert.deepEqual(idle, [40_000, 55_000, 70_000, 85_000], "one every 15 s once idle");
});

Deno.test("LogCheckPace - activity or an unsettled partition brings every tick back at once", () => {
  const pace = new LogCheckPace({ now: 0 });
  checksBetween(pace, 5_000, 60_000); // idle since 30 s; last check at 55 s
  assert.equal(pace.due(true, 65_000), false);
  pace.active(66_000); // a batch
  assert.equal(pace.due(true, 70_000), true);
  assert.equal(pace.due(true, 75_000), true);
  const again = checksBetween(pace, 80_000, 110_000);
  assert.deepEqual(again, [80_000, 85_000, 90_000, 95_000, 110_000], "idle again from 96 s");
  assert.equal(pace.due(true, 115_000), false);
  assert.equal(pace.due(false, 116_000), true, "a partition behind or retrying: checked");
  assert.equal(pace.due(true, 120_000), true, "and the ticks after it, until idle again");
});

/** The times of a timer armed with `nextTickIn` from `from` to `to`, and the checks it made. */
function timerBetween(pace: LogCheckPace, from: number, to: number) {
  const ticks: number[] = [];
  const checks: number[] = [];
  for (let now = from; now <= to; now += pace.nextTickIn(5_000, now)) {
    ticks.push(now);
    if (pace.due(true, now)) checks.push(now);
  }
  return { ticks, checks };
}

Deno.test("LogCheckPace - an idle consumer's timer ticks only when a check is due", () => {
  const pace = new LogCheckPace({ now: 0 });
  const { ticks, checks } = timerBetween(pace, 5_000, 90_000);
  // Every 5 s until idle (30 s), then the ticks are the checks: one every 15 s.
  assert.deepEqual(ticks, [
    5_000,
    10_000,
    15_000,
    20_000,
    25_000,
    30_000,
    40_000,
    55_000,
    70_000,
    85_000,
  ]);
  assert.deepEqual(checks, [5_000, 10_000, 15_000, 20_000, 25_000, 40_000, 55_000, 70_000, 85_000]);
  // The same checks as a timer ticking every 5 s makes, with 10 ticks instead of 18.
  assert.deepEqual(checks, checksBetween(new LogCheckPace({ now: 0 }), 5_000, 90_000));
  pace.active(91_000);
  assert.equal(pace.nextTickIn(5_000, 91_000), 5_000, "activity: every tick again");
});
