import assert from "node:assert/strict";
import { ConfigError } from "../core/config.ts";
import { describeGap, findGap, gapPolicyFor, LogGapError } from "./gap_policy.ts";

const where = { topic: "t", partition: 2 };
const ID_A = "aa".repeat(16);
const ID_B = "bb".repeat(16);

Deno.test("gap policy - a stored position against the log", async (t) => {
  await t.step("nothing stored, or a position inside the log: no gap", () => {
    assert.equal(findGap(where, undefined, { start: 5, end: 9, topicId: ID_A }), undefined);
    for (const offset of [5, 7, 9]) {
      assert.equal(
        findGap(where, { offset, topicId: ID_A }, { start: 5, end: 9, topicId: ID_A }),
        undefined,
      );
    }
  });
  await t.step("another topic id: recreated, read again from the new log's start", () => {
    const gap = findGap(where, { offset: 5, topicId: ID_A }, { start: 0, end: 10, topicId: ID_B });
    assert.deepEqual(gap, {
      ...where,
      kind: "recreated",
      stored: 5,
      storedTopicId: ID_A,
      topicId: ID_B,
      resumeAt: 0,
    });
    assert.match(describeGap(gap!), /^t\/2: the topic was deleted and created again/);
    assert.doesNotMatch(describeGap(gap!), /the new log starts at/);
  });
  await t.step("recreated, the new log's first records already deleted: both named", () => {
    const gap = findGap(where, { offset: 498, topicId: ID_A }, {
      start: 25,
      end: 30,
      topicId: ID_B,
    });
    assert.equal(gap?.kind, "recreated");
    assert.equal(gap?.resumeAt, 25);
    assert.match(
      describeGap(gap!),
      /the stored offset 498 counts the old log, .*; the new log starts at 25 \(offsets 0–24 deleted before this consumer read them\)$/,
    );
  });
  await t.step("an id unknown on either side is not compared", () => {
    assert.equal(findGap(where, { offset: 5 }, { start: 0, end: 10, topicId: ID_B }), undefined);
    assert.equal(findGap(where, { offset: 5, topicId: ID_A }, { start: 0, end: 10 }), undefined);
  });
  await t.step("the log starts after the position: deleted, the missing range named", () => {
    const gap = findGap(where, { offset: 5, topicId: ID_A }, { start: 12, end: 15, topicId: ID_A });
    assert.equal(gap?.kind, "deleted");
    assert.deepEqual(gap?.missing, { from: 5, to: 12 });
    assert.equal(gap?.resumeAt, 12);
    assert.equal(
      describeGap(gap!),
      "t/2: offsets 5–11 were deleted before this consumer read them (retention, or " +
        "kafka-delete-records); the log now starts at 12",
    );
  });
  await t.step("the log ends before the position: beyond-end", () => {
    const gap = findGap(where, { offset: 9 }, { start: 0, end: 4 });
    assert.equal(gap?.kind, "beyond-end");
    assert.equal(gap?.resumeAt, 0, "the log as it is now, read from its start");
    assert.match(describeGap(gap!), /the stored offset 9 is beyond the log's end 4/);
  });
  await t.step("the stop names what to do, rebuild only when it can", () => {
    const gap = findGap(where, { offset: 5 }, { start: 12, end: 15 })!;
    const view = new LogGapError(gap, "doctor-house", { rebuild: true });
    assert.equal(view.code, "LOG_GAP");
    assert.equal(view.retriable, false);
    assert.match(view.message, /Nothing was skipped: consumer doctor-house stopped/);
    assert.match(view.message, /CONSUMER_ON_GAP=doctor-house=accept/);
    assert.match(view.message, /CONSUMER_ON_GAP=doctor-house=rebuild/);
    assert.doesNotMatch(new LogGapError(gap, "p", { rebuild: false }).message, /rebuild/);
  });
});

Deno.test("gap policy - CONSUMER_ON_GAP", async (t) => {
  await t.step("unset: none given", () => {
    assert.equal(gapPolicyFor(undefined, "doctor-house"), undefined);
    assert.equal(gapPolicyFor("", "doctor-house"), undefined);
  });
  await t.step("one policy for every consumer", () => {
    assert.equal(gapPolicyFor("accept", "doctor-house"), "accept");
  });
  await t.step("per consumer, the consumer's own before the general one, in any order", () => {
    const value = "doctor-house=rebuild, accept ,orders-service=stop";
    assert.equal(gapPolicyFor(value, "doctor-house"), "rebuild");
    assert.equal(gapPolicyFor(value, "orders-service"), "stop");
    assert.equal(gapPolicyFor(value, "balances-service"), "accept");
    assert.equal(gapPolicyFor("doctor-a=accept", "doctor-b"), undefined);
  });
  await t.step("a wrong value names the variable and the forms", () => {
    assert.throws(
      () => gapPolicyFor("doctor-house=skip", "doctor-house"),
      (error: unknown) =>
        error instanceof ConfigError &&
        /CONSUMER_ON_GAP: expected stop, accept, rebuild or <consumer>=<policy>/.test(
          error.message,
        ),
    );
  });
});
