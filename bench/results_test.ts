import assert from "node:assert/strict";
import { Results, resultsPath, type RunResults } from "./results.ts";
import { fixtureMachine, fixtureVersions } from "./results_fixture.ts";

function newResults(): Results {
  return new Results({
    startedAt: "2026-12-05T23:00:00.000Z",
    args: [],
    options: { sections: ["a", "b", "c"] },
    machine: fixtureMachine(),
    versions: fixtureVersions(),
  });
}

const read = async (path: string) => JSON.parse(await Deno.readTextFile(path)) as RunResults;

Deno.test("Results - each section is saved as it ends, a failed one with its error, the next still runs", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "bench-results-" });
  try {
    const path = resultsPath(dir, "2026-12-05T23:00:00.000Z");
    const results = newResults();
    await results.save(path);

    await t.step(
      "the file names the run's start time and is valid JSON before any section",
      async () => {
        assert.deepStrictEqual(path, `${dir}/2026-12-05T23-00-00-000Z.json`);
        assert.deepStrictEqual((await read(path)).sections, []);
      },
    );

    await t.step(
      "a section is on disk as running while it runs, as ok with its figures after",
      async () => {
        let seenWhileRunning: RunResults | undefined;
        const ok = await results.section("a", path, async () => {
          seenWhileRunning = await read(path);
          results.figure("rate", 1234.5678, "msgs/s", "a rate");
          results.check("ratio", 0.81234, { atLeast: 0.7 });
        });
        assert.ok(ok);
        assert.deepStrictEqual(seenWhileRunning!.sections!.map((s) => [s.name, s.status]), [[
          "a",
          "running",
        ]]);
        const saved = await read(path);
        assert.deepStrictEqual(saved.sections![0].status, "ok");
        assert.deepStrictEqual(saved.figures.rate, {
          value: 1235,
          unit: "msgs/s",
          what: "a rate",
          section: "a",
        });
        assert.deepStrictEqual(saved.checks[0], {
          name: "ratio",
          value: 0.812,
          target: "≥ 0.7",
          pass: true,
          section: "a",
        });
      },
    );

    await t.step(
      "a failing section is recorded failed with its error; what it measured stays",
      async () => {
        const ok = await results.section("b", path, () => {
          results.figure("partial", 5, "ms", "measured before the failure");
          return Promise.reject(new Error("monitor: sampled 80 partitions, expected 200"));
        });
        assert.deepStrictEqual(ok, false);
        const saved = await read(path);
        const b = saved.sections!.find((s) => s.name === "b")!;
        assert.deepStrictEqual(b.status, "failed");
        assert.match(b.error!, /^monitor: sampled 80 partitions, expected 200\n/);
        assert.ok(b.finishedAt !== undefined && b.seconds !== undefined);
        assert.deepStrictEqual(saved.figures.partial.section, "b");
        assert.deepStrictEqual(
          saved.figures.rate.value,
          1235,
          "the earlier section's figures are kept",
        );
        assert.deepStrictEqual(results.failedSections().map((s) => s.name), ["b"]);
      },
    );

    await t.step("a thrown non-Error is recorded too, and later sections still count", async () => {
      assert.deepStrictEqual(
        await results.section("c", path, () => Promise.reject("plain string")),
        false,
      );
      assert.ok(await results.section("d", path, () => Promise.resolve()));
      await results.finish(path);
      const saved = await read(path);
      assert.deepStrictEqual(saved.sections!.map((s) => [s.name, s.status]), [
        ["a", "ok"],
        ["b", "failed"],
        ["c", "failed"],
        ["d", "ok"],
      ]);
      assert.deepStrictEqual(saved.sections![2].error, "plain string");
      assert.ok(saved.finishedAt !== undefined);
    });

    await t.step("no temporary file is left beside the results", () => {
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.deepStrictEqual(names, ["2026-12-05T23-00-00-000Z.json"]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Results - checks without a target are for scale", () => {
  const results = newResults();
  assert.deepStrictEqual(results.check("x", 2), {
    name: "x",
    value: 2,
    target: "for scale",
    pass: null,
    section: undefined,
  });
  assert.deepStrictEqual(results.check("y", 200, { atMost: 150 }).pass, false);
});
