import assert from "node:assert/strict";
import type { RunResults } from "./results.ts";
import { fixtureMachine, fixtureVersions } from "./results_fixture.ts";
import { lastRuns, summaryTable } from "./summary.ts";

function run(startedAt: string, extra: Partial<RunResults> = {}): RunResults {
  return {
    startedAt,
    finishedAt: startedAt,
    args: [],
    options: { sections: ["doctor", "monitor"], profile: false },
    machine: fixtureMachine(1.5),
    versions: fixtureVersions("c0ffee (with uncommitted changes)"),
    figures: {},
    checks: [],
    notes: {},
    ...extra,
  };
}

const lineOf = (table: string, start: string) => table.split("\n").find((l) => l.startsWith(start));

Deno.test("summary - the last three runs, oldest first, profiled runs left out", () => {
  const runs = [
    run("2026-12-05T10:00:00.000Z"),
    run("2026-12-05T13:00:00.000Z", { options: { profile: true } }),
    run("2026-12-05T12:00:00.000Z"),
    run("2026-12-05T09:00:00.000Z"),
    run("2026-12-05T11:00:00.000Z"),
  ];
  assert.deepStrictEqual(lastRuns(runs, 3).map((r) => r.startedAt.slice(11, 13)), [
    "10",
    "11",
    "12",
  ]);
  assert.deepStrictEqual(lastRuns(runs, 1).map((r) => r.startedAt.slice(11, 13)), ["12"]);
});

Deno.test("summary - runs side by side: figures, checks, sections; missing shown as —", async (t) => {
  const sections = (monitor: "ok" | "failed") => [
    { name: "doctor", status: "ok" as const, startedAt: "", seconds: 61.2 },
    {
      name: "monitor",
      status: monitor,
      startedAt: "",
      seconds: 3,
      ...(monitor === "failed" ? { error: "sampled 80 | partitions\n    at stack" } : {}),
    },
  ];
  const table = summaryTable([
    run("2026-12-05T10:00:00.000Z", {
      sections: sections("ok"),
      figures: {
        doctorRate: { value: 40_000, unit: "msgs/s", what: "" },
        monitorSamplingCpu: { value: 1.234, unit: "% of a core", what: "" },
      },
      checks: [{ name: "doctor / limit", value: 0.42, target: "≥ 0.7", pass: false }],
    }),
    run("2026-12-05T11:00:00.000Z", {
      sections: sections("failed"),
      figures: { doctorRate: { value: 52_345.6, unit: "msgs/s", what: "" } },
      checks: [{ name: "doctor / limit", value: 0.71, target: "≥ 0.7", pass: true }],
    }),
    run("2026-12-05T12:00:00.000Z", { finishedAt: undefined, sections: [sections("ok")[0]] }),
  ]);

  await t.step("a header line per run: time, commit, load, unfinished", () => {
    assert.ok(table.includes("- run 1: 2026-12-05 10:00, c0ffee, load 1.5\n"), table);
    assert.ok(table.includes("- run 3: 2026-12-05 12:00, c0ffee, load 1.5, unfinished"), table);
  });
  await t.step("figures: one column per run, — where a run did not measure it", () => {
    assert.deepStrictEqual(
      lineOf(table, "| doctorRate |"),
      "| doctorRate | 40,000 | 52,346 | — | msgs/s |",
    );
    assert.deepStrictEqual(
      lineOf(table, "| monitorSamplingCpu"),
      "| monitorSamplingCpu | 1.23 | — | — | % of a core |",
    );
  });
  await t.step("checks: value and verdict per run, the target, how many runs met it", () => {
    assert.deepStrictEqual(
      lineOf(table, "| doctor / limit"),
      "| doctor / limit | 0.42 ✘ | 0.71 ✔ | — | ≥ 0.7 | 1 of 2 |",
    );
  });
  await t.step("sections: ok with seconds, failed with the first line of its error", () => {
    assert.deepStrictEqual(
      lineOf(table, "| doctor |"),
      "| doctor | ok (61.2 s) | ok (61.2 s) | ok (61.2 s) |",
    );
    assert.deepStrictEqual(
      lineOf(table, "| monitor |"),
      "| monitor | ok (3 s) | **failed**: sampled 80 \\| partitions | — |",
    );
    assert.ok(table.indexOf("| section |") < table.indexOf("| figure |"));
  });
});

Deno.test("summary - runs written before sections were recorded", () => {
  const table = summaryTable([
    run("2026-11-26T17:00:00.000Z", { figures: { x: { value: 1, unit: "u", what: "" } } }),
  ]);
  assert.deepStrictEqual(lineOf(table, "| monitor |"), "| monitor | ok |");
});
