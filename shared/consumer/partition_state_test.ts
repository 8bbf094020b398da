import assert from "node:assert/strict";
import { partitionKey, PartitionStates } from "./partition_state.ts";

Deno.test("partition states - assignments keep, add and revoke partitions", async (t) => {
  await t.step("a first assignment adds every partition", () => {
    const states = new PartitionStates();
    const change = states.assign({ a: [0, 1], b: [0] });
    assert.deepEqual(change.added.map((s) => s.key), ["a:0", "a:1", "b:0"]);
    assert.deepEqual(change.kept, []);
    assert.deepEqual(change.revoked, []);
    assert.deepEqual([...states.byTopic()], [["a", [0, 1]], ["b", [0]]]);
  });

  await t.step("a partition kept keeps its position; a revoked one is forgotten", () => {
    const states = new PartitionStates();
    states.assign({ a: [0, 1] });
    states.get("a", 0)!.position = 12;
    const change = states.assign({ a: [0, 2] });
    assert.deepEqual(change.kept.map((s) => [s.key, s.position]), [["a:0", 12]]);
    assert.deepEqual(change.added.map((s) => s.key), ["a:2"]);
    assert.deepEqual(change.revoked.map((s) => s.key), ["a:1"]);
    assert.equal(states.get("a", 1), undefined);
  });

  await t.step("a revoked partition's retry timer is cleared: it never resumes", async () => {
    const states = new PartitionStates();
    states.assign({ a: [0] });
    let resumed = false;
    states.pause(states.get("a", 0)!, 20, () => (resumed = true));
    assert.equal(states.anyPaused, true);
    const [revoked] = states.assign({}).revoked;
    assert.equal(revoked.retryTimer, undefined, "its timer is gone");
    assert.equal(states.anyPaused, false);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(resumed, false);
  });
});

Deno.test("partition states - pauses and lag", async (t) => {
  await t.step("a pause ends by itself and runs resume once", async () => {
    const states = new PartitionStates();
    states.assign({ a: [0] });
    const state = states.get("a", 0)!;
    let resumed = 0;
    states.pause(state, 10, () => resumed++);
    states.pause(state, 30, () => resumed++); // replaces the first wait
    assert.equal(states.anyPaused, true);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(resumed, 1);
    assert.equal(states.anyPaused, false);
  });

  await t.step("clearPauses ends every wait without resuming", async () => {
    const states = new PartitionStates();
    states.assign({ a: [0, 1] });
    let resumed = 0;
    for (const s of states.all()) states.pause(s, 10, () => resumed++);
    states.clearPauses();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(resumed, 0);
    assert.equal(states.anyPaused, false);
  });

  await t.step("lag counts partitions whose position and end are both known", () => {
    const states = new PartitionStates();
    states.assign({ a: [0, 1, 2] });
    Object.assign(states.get("a", 0)!, { position: 5, logEnd: 9 });
    Object.assign(states.get("a", 1)!, { position: 9, logEnd: 7 });
    Object.assign(states.get("a", 2)!, { logEnd: 3 });
    assert.deepEqual(states.lag(), { [partitionKey("a", 0)]: 4, "a:1": 0 });
  });
});
