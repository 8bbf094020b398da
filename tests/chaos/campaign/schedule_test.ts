import assert from "node:assert/strict";
import { describeFault, drawSchedule, faultLengthMs } from "./schedule.ts";

Deno.test("campaign schedule - drawn from the seed, replayable, brokers one at a time", async (t) => {
  await t.step("the same seed gives the same schedule; another seed another", () => {
    assert.deepEqual(drawSchedule(42, 5), drawSchedule(42, 5));
    assert.notDeepEqual(drawSchedule(42, 5), drawSchedule(43, 5));
  });
  await t.step("faults every few seconds, within the campaign", () => {
    const schedule = drawSchedule(7, 10);
    assert.ok(schedule.length >= 40, `${schedule.length} faults in 10 minutes`);
    assert.ok(schedule.every((f) => f.atMs < 600_000));
    for (let i = 1; i < schedule.length; i++) assert.ok(schedule[i].atMs > schedule[i - 1].atMs);
  });
  await t.step("broker faults never overlap", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const brokers = drawSchedule(seed, 30).filter((f) =>
        ["kill-broker", "pause-broker", "blackhole", "leader-move", "delay"].includes(f.fault.kind)
      );
      for (let i = 1; i < brokers.length; i++) {
        const previousEnd = brokers[i - 1].atMs + faultLengthMs(brokers[i - 1].fault);
        assert.ok(brokers[i].atMs >= previousEnd, `seed ${seed}: ${describeFault(brokers[i])}`);
      }
    }
  });
  await t.step("every kind shows up in a 30-minute campaign", () => {
    const kinds = new Set(drawSchedule(11, 30).map((f) => f.fault.kind));
    assert.equal(kinds.size, 13, [...kinds].join(","));
  });
  await t.step("printed one line each", () => {
    assert.match(
      describeFault({ atMs: 12_300, fault: { kind: "cut", node: 2 } }),
      /12\.3 s {2}cut node=2/,
    );
  });
});
