import assert from "node:assert/strict";
import { gapCovers, type RecordedGap } from "./checker.ts";
import type { AckedItem, Deletion } from "./load.ts";

const OLD = "3ccf226435e541d4b8399201cb9d6bba";
const NEW = "c825c958b2a644449419898560e6d27b";

/** The sink's gap of seed 4207 (20 minutes): partition 0 recreated, gone on at 25 in the new log. */
const recreated: RecordedGap = {
  consumer: "sink",
  topic: "campaign.items",
  partition: 0,
  kind: "recreated",
  from: 498,
  to: 25,
  oldTopicId: OLD,
  newTopicId: NEW,
};

const item = (topicId: string, partition: number, offset: number): AckedItem => ({
  n: 1,
  topicId,
  partition,
  offset,
});

Deno.test("campaign checker - which items a recorded gap covers", async (t) => {
  await t.step("recreated: the old log from the stored offset on, not before it", () => {
    assert.equal(gapCovers(recreated, item(OLD, 0, 498), []), true);
    assert.equal(gapCovers(recreated, item(OLD, 0, 600), []), true);
    assert.equal(gapCovers(recreated, item(OLD, 0, 497), []), false);
    assert.equal(gapCovers(recreated, item(OLD, 1, 600), []), false, "another partition");
  });
  await t.step("recreated: the new log's start only where the campaign deleted it", () => {
    // Seed 4207: the campaign burst 20 items onto the new log and deleted up to offset 25
    // while the sink, paused, had not yet seen the topic recreated.
    const deletions: Deletion[] = [{ topicId: NEW, partition: 0, before: 25 }];
    assert.equal(gapCovers(recreated, item(NEW, 0, 0), deletions), true);
    assert.equal(gapCovers(recreated, item(NEW, 0, 24), deletions), true);
    assert.equal(gapCovers(recreated, item(NEW, 0, 25), deletions), false, "the sink read on here");
    // A sink that went on past records the new log still held lost them.
    assert.equal(gapCovers(recreated, item(NEW, 0, 3), []), false);
    assert.equal(
      gapCovers(recreated, item(NEW, 0, 3), [{ topicId: OLD, partition: 0, before: 25 }]),
      false,
      "a deletion in the old log says nothing of the new one",
    );
    assert.equal(
      gapCovers(recreated, item(NEW, 0, 3), [{ topicId: NEW, partition: 1, before: 25 }]),
      false,
      "nor one of another partition",
    );
    assert.equal(
      gapCovers(recreated, item(NEW, 0, 20), [{ topicId: NEW, partition: 0, before: 10 }]),
      false,
      "nor one that stopped short of the item",
    );
  });
  await t.step("deleted: the range between the stored offset and the new log start", () => {
    const deleted: RecordedGap = {
      ...recreated,
      kind: "deleted",
      from: 397,
      to: 412,
      oldTopicId: OLD,
      newTopicId: OLD,
    };
    assert.equal(gapCovers(deleted, item(OLD, 0, 397), []), true);
    assert.equal(gapCovers(deleted, item(OLD, 0, 411), []), true);
    assert.equal(gapCovers(deleted, item(OLD, 0, 412), []), false);
    assert.equal(gapCovers(deleted, item(OLD, 0, 396), []), false);
    assert.equal(gapCovers(deleted, item(NEW, 0, 400), []), false);
  });
});
