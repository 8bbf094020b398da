import assert from "node:assert/strict";
import { ReplayProgress } from "./replay_progress.ts";

const at = (...offsets: number[]) => offsets.map((offset) => ({ offset }));

Deno.test("replay progress - what a fetched batch gives out, and where the partition then stands", async (t) => {
  await t.step("records from the position, below the target, in order", () => {
    const progress = new ReplayProgress([{ topic: "t", partition: 0, start: 3, target: 6 }]);
    const { records, beyond } = progress.wanted("t", 0, at(1, 2, 3, 4, 5));
    assert.deepEqual(records, at(3, 4, 5));
    assert.equal(beyond, false);
  });
  await t.step(
    "a record at the target stops the batch and says every offset below was read",
    () => {
      const progress = new ReplayProgress([{ topic: "t", partition: 0, start: 0, target: 4 }]);
      const { records, beyond } = progress.wanted("t", 0, at(2, 5, 6));
      assert.deepEqual(records, at(2));
      assert.equal(beyond, true);
    },
  );
  await t.step("compaction's holes: offsets never seen count as passed once a later one is", () => {
    const progress = new ReplayProgress([{ topic: "t", partition: 0, start: 0, target: 10 }]);
    progress.advance("t", 0, 7 + 1);
    assert.equal(progress.position("t", 0), 8);
    assert.equal(progress.done("t", 0), false);
    progress.advance("t", 0, 3); // never backwards
    assert.equal(progress.position("t", 0), 8);
    progress.advance("t", 0, Infinity); // a transaction marker at the end: capped at the target
    assert.equal(progress.position("t", 0), 10);
    assert.equal(progress.done("t", 0), true);
  });
});

Deno.test("replay progress - several topics and partitions, complete when all are", () => {
  const progress = new ReplayProgress([
    { topic: "b", partition: 1, start: 0, target: 2 },
    { topic: "a", partition: 0, start: 5, target: 5 },
    { topic: "b", partition: 0, start: 0, target: 1 },
  ]);
  assert.deepEqual(progress.partitions(), [
    { topic: "a", partition: 0 },
    { topic: "b", partition: 0 },
    { topic: "b", partition: 1 },
  ]);
  assert.ok(progress.done("a", 0), "an empty range is done at once");
  assert.deepEqual(progress.behind(), ["b[0] at 0 of 1", "b[1] at 0 of 2"]);
  progress.advance("b", 0, 1);
  progress.advance("b", 1, 2);
  assert.ok(progress.complete());
  assert.equal(progress.has("c", 0), false);
  assert.throws(() => progress.position("b", 2), /b\[2\] is not being replayed/);
});

Deno.test("replay progress - raising a target", async (t) => {
  await t.step("a partition that was done is behind again: to be resumed", () => {
    const progress = new ReplayProgress([{ topic: "t", partition: 0, start: 0, target: 3 }]);
    progress.advance("t", 0, 3);
    assert.equal(progress.raise("t", 0, 5), true);
    assert.equal(progress.target("t", 0), 5);
    assert.equal(progress.done("t", 0), false);
  });
  await t.step("a partition still reading needs no resume; a lower target is ignored", () => {
    const progress = new ReplayProgress([{ topic: "t", partition: 0, start: 0, target: 3 }]);
    assert.equal(progress.raise("t", 0, 5), false);
    assert.equal(progress.raise("t", 0, 4), false);
    assert.equal(progress.target("t", 0), 5);
  });
  await t.step("a partition listed twice is refused", () => {
    assert.throws(
      () =>
        new ReplayProgress([
          { topic: "t", partition: 0, start: 0, target: 1 },
          { topic: "t", partition: 0, start: 0, target: 2 },
        ]),
      /listed twice/,
    );
  });
});
