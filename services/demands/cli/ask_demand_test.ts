import assert from "node:assert/strict";
import { askDemand } from "./ask_demand.ts";

/** An Ask answering from `lines`, recording the questions. */
function scripted(lines: string[]) {
  const questions: string[] = [];
  return {
    questions,
    ask: (question: string) => {
      questions.push(question);
      return Promise.resolve(lines.length ? lines.shift()! : null);
    },
  };
}

Deno.test("demands producer - asks each field, again after a clear error", async (t) => {
  await t.step("a demand, with defaults for priority and id", async () => {
    const { ask } = scripted(["emergency", "", "-22,9", "-43.2", ""]);
    const errors: string[] = [];
    assert.deepEqual(await askDemand(ask, (e) => errors.push(e), () => "new-id"), {
      id: "new-id",
      type: "emergency",
      location: { lat: -22.9, lng: -43.2 },
      metadata: { priority: "medium" },
    });
    assert.deepEqual(errors, []);
  });
  await t.step("bad answers are explained and asked again", async () => {
    const { ask, questions } = scripted(["visit", "high", "north", "95", "10", "200", "20", "d-1"]);
    const errors: string[] = [];
    const demand = await askDemand(ask, (e) => errors.push(e));
    assert.deepEqual(demand, {
      id: "d-1",
      type: "visit",
      location: { lat: 10, lng: 20 },
      metadata: { priority: "high" },
    });
    assert.deepEqual(errors, [
      'latitude: expected a number, e.g. -22.9 (got "north")',
      'latitude: must be ≤ 90 (got "95")',
      'longitude: must be ≤ 180 (got "200")',
    ]);
    assert.equal(questions.filter((q) => q.startsWith("Latitude")).length, 3);
  });
  await t.step("an empty type or the end of input quits", async () => {
    assert.equal(await askDemand(scripted([""]).ask, () => {}), null);
    assert.equal(await askDemand(scripted([]).ask, () => {}), null);
    assert.equal(await askDemand(scripted(["x", "low", "1"]).ask, () => {}), null);
  });
});
