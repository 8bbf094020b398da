import assert from "node:assert/strict";
import {
  applyWindow,
  arrangementFigures,
  sharedPartitions,
  singleDoctorCeiling,
} from "./scaleout_figures.ts";

const span = (label: string, rows: number, firstMs: number, lastMs: number) => ({
  label,
  rows,
  firstMs,
  lastMs,
});

Deno.test("scale-out - the window runs from the first demand any instance received to the last", () => {
  const window = applyWindow([span("a", 10, 1_500, 9_000), span("b", 10, 1_000, 11_000)]);
  assert.deepEqual(window, { fromMs: 1_000, toMs: 11_000, seconds: 10 });
  assert.throws(() => applyWindow([]), /no instances/);
  assert.throws(() => applyWindow([span("a", 5, 1_000, 1_050)]), /50 ms is too short/);
});

Deno.test("scale-out - rate, CPU per 1,000 demands of each process, cores, the machine's ceiling", () => {
  const figures = arrangementFigures({
    instances: [span("d1", 30_000, 0, 20_000), span("d2", 10_000, 0, 10_000)],
    doctorCpuSeconds: { d1: 15, d2: 6 },
    brokersCpuSeconds: 9,
    sampledSeconds: 20.5,
    machineBusyCores: 1.9,
    cores: 2,
  });
  assert.equal(figures.seconds, 20);
  assert.equal(figures.applied, 40_000);
  assert.equal(figures.rate, 2_000);
  assert.deepEqual(figures.doctorCpuPer1000, { d1: 0.5, d2: 0.6 });
  assert.equal(figures.doctorsCpuPer1000, 21 / 40);
  assert.equal(figures.brokersCpuPer1000, 9 / 40);
  assert.equal(figures.measuredCores, 30 / 20.5);
  assert.equal(figures.machineBusyCores, 1.9);
  // 30 CPU s for 40,000 demands: 2 cores allow 2 / 0.00075 = 2,666.7 a second.
  assert.ok(Math.abs(figures.ceiling - 2 / (30 / 40_000)) < 1e-9);
  assert.throws(
    () =>
      arrangementFigures({
        instances: [span("d1", 1, 0, 1_000)],
        doctorCpuSeconds: {},
        brokersCpuSeconds: 0,
        sampledSeconds: 1,
        machineBusyCores: 0,
        cores: 2,
      }),
    /no CPU time for d1/,
  );
});

Deno.test("scale-out - one doctor's ceiling: the machine's, or one core for its thread if lower", () => {
  const measured = (doctor: number, brokers: number) =>
    arrangementFigures({
      instances: [span("one", 100_000, 0, 10_000)],
      doctorCpuSeconds: { one: doctor },
      brokersCpuSeconds: brokers,
      sampledSeconds: 10,
      machineBusyCores: 2,
      cores: 2,
    });
  // 3.6 + 4.8 CPU s for 100,000: 2 cores allow 23,810 a second; a core for the doctor 27,778.
  assert.ok(Math.abs(singleDoctorCeiling(measured(3.6, 4.8)) - 2 / (8.4 / 100_000)) < 1e-6);
  // 8 + 1 CPU s: the machine would allow 22,222, but the doctor's core only 12,500.
  assert.ok(Math.abs(singleDoctorCeiling(measured(8, 1)) - 12_500) < 1e-6);
});

Deno.test("scale-out - partitions applied by more than one instance of a sharded group", () => {
  assert.deepEqual(sharedPartitions({ a: [0, 1, 2, 3], b: [4, 5, 6, 7], c: [8, 9, 10, 11] }), []);
  assert.deepEqual(sharedPartitions({ a: [0, 1, 2, 3], b: [3, 4, 5], c: [5, 6, 0, 0] }), [0, 3, 5]);
});
