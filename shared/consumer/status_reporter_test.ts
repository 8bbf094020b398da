import assert from "node:assert/strict";
import {
  type Clock,
  STALE_AFTER_MS,
  STATUS_KEEP_ALIVE_MS,
  StatusReporter,
} from "./status_reporter.ts";

/** A clock that moves only when told to, running the timers it passes. */
class ManualClock implements Clock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    this.#timers.set(this.#next, { at: this.time + ms, callback });
    return this.#next++;
  };
  clearTimeout = (id: number | undefined) => void this.#timers.delete(id ?? 0);
  /** Moves `ms` forward, running each timer at its time. */
  tick(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

function reporter() {
  const clock = new ManualClock();
  const at: number[] = [];
  const status = new StatusReporter(() => at.push(clock.time), { clock });
  return { clock, at, status };
}

Deno.test("StatusReporter - idle: a keep-alive every 5 s, not a report a second; stale after three missed", () => {
  const { clock, at, status } = reporter();
  status.now();
  clock.tick(16_000);
  assert.deepEqual(at, [0, 5_000, 10_000, 15_000]);
  assert.equal(STALE_AFTER_MS, 3 * STATUS_KEEP_ALIVE_MS);
});

Deno.test("StatusReporter - a change is reported within a second, and no more than once a second", () => {
  const { clock, at, status } = reporter();
  status.now();
  clock.tick(1_500);
  status.changed(); // more than a second since the last report: at once
  clock.tick(0);
  for (let i = 0; i < 20; i++) {
    clock.tick(100);
    status.changed(); // busy: at most one report a second
  }
  clock.tick(6_000);
  // The last change (at 3.5 s, after that report) at 4.5 s; then keep-alives.
  assert.deepEqual(at, [0, 1_500, 2_500, 3_500, 4_500, 9_500]);
});

Deno.test("StatusReporter - a state change is reported at once; stop ends the reports", () => {
  const { clock, at, status } = reporter();
  status.now();
  clock.tick(200);
  status.changed();
  status.now(); // a state change: now, and the pending one is dropped
  clock.tick(2_900);
  status.stop();
  status.changed();
  status.now();
  clock.tick(10_000);
  assert.deepEqual(at, [0, 200]);
});
