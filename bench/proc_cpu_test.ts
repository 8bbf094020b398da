import assert from "node:assert/strict";
import { parseMachineTicks, parseProcessTicks } from "./proc_cpu.ts";
import { type CpuSample, usageBetween } from "./cpu_sampler.ts";

Deno.test("proc cpu - a process's utime + stime, its name holding spaces and parentheses", () => {
  // Fields 14 and 15 (utime 1234, stime 56) after a command name "a (b) c".
  const stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 7 8 20 0 9 0 555";
  assert.equal(parseProcessTicks(stat), 1290);
  assert.throws(() => parseProcessTicks("garbage"), /not a \/proc\/<pid>\/stat/);
  assert.throws(() => parseProcessTicks("1 (x) S 1"), /no utime\/stime/);
});

Deno.test("proc cpu - the machine's busy and total ticks, idle and iowait not busy, guest left out", () => {
  const stat = [
    "cpu  100 10 50 800 40 0 5 0 30 0",
    "cpu0 50 5 25 400 20 0 3 0 15 0",
    "intr 12345",
  ].join("\n");
  assert.deepEqual(parseMachineTicks(stat), { busy: 165, total: 1005 });
  assert.throws(() => parseMachineTicks("intr 1\n"), /no cpu line/);
});

const sample = (at: number, busy: number, total: number, processes: Record<string, number>) =>
  ({ at, machine: { busy, total }, processes }) satisfies CpuSample;

Deno.test("cpu sampler - the samples bracketing the window: seconds, busy cores, each process", () => {
  const samples = [
    sample(0, 0, 0, { a: 0 }),
    sample(1_000, 150, 200, { a: 50 }),
    sample(2_000, 300, 400, { a: 100, b: 10 }),
    sample(3_000, 500, 600, { a: 180, b: 60 }),
    sample(4_000, 520, 800, { b: 70 }),
  ];
  // A window from 1.5 s to 2.5 s is measured from the sample at 1 s to the one at 3 s.
  const usage = usageBetween(samples, 1_500, 2_500);
  assert.equal(usage.seconds, 2);
  assert.equal(usage.machineBusyCores, 3.5 / 2); // 350 ticks over 2 s
  assert.equal(usage.machineBusyShare, 350 / 400);
  // b was first read at 2 s: counted from there.
  assert.deepEqual(usage.processSeconds, { a: 1.3, b: 0.5 });
  // Past the samples: the first and last ones; a is gone at 4 s, counted to its last reading.
  const all = usageBetween(samples, -5_000, 9_000);
  assert.equal(all.seconds, 4);
  assert.deepEqual(all.processSeconds, { a: 1.8, b: 0.6 });
  // A window inside one interval still spans two samples.
  assert.equal(usageBetween(samples, 1_200, 1_300).seconds, 1);
  assert.throws(() => usageBetween(samples.slice(0, 1), 0, 1), /two samples/);
  assert.throws(() => usageBetween(samples, 2, 1), /ends before it starts/);
});
