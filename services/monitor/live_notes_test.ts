import assert from "node:assert/strict";
import { LiveTraffic } from "./live_notes.ts";

Deno.test("LiveTraffic - says once that a note is pending, and nothing while idle", () => {
  let pending = 0;
  const live = new LiveTraffic(5_000, () => pending++);
  assert.equal(live.take(), undefined, "nothing counted: no note");
  live.addFeed([]);
  assert.equal(pending, 0, "an empty feed is nothing");
  live.add("a", 0, 2, 20);
  live.add("a", 0, 1, 10);
  live.add("b", 5_000, 1, 10);
  assert.equal(pending, 1, "once until the note is taken");
  assert.deepEqual(live.take()?.deltas, [
    { topic: "a", t: 0, messages: 3, bytes: 30 },
    { topic: "b", t: 5_000, messages: 1, bytes: 10 },
  ]);
  live.addFeed([{ topic: "a" } as never]);
  assert.equal(pending, 2, "after a note, the next count says so again");
});
