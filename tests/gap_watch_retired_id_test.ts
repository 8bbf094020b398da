/**
 * A broker whose metadata lags after a topic was recreated still names the
 * topic's old id. Once the consumer recorded that recreation, the old id is
 * retired: its id is not compared (a second recreation, under `accept`,
 * read the new log again — found by the fault campaign, seed 173, 124 items
 * applied twice or three times), its offsets still are.
 */
import assert from "node:assert/strict";
import { KERNEL_MIGRATIONS } from "../shared/consumer/main.ts";
import { GapWatch } from "../shared/consumer/gap_watch.ts";
import { recordGap, retiredTopicIds } from "../shared/consumer/gaps.ts";
import { offsetStore } from "../shared/consumer/offsets.ts";
import { migrate, openDatabase } from "../shared/sqlite/sqlite.ts";
import { createLogger } from "../shared/core/log.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

Deno.test("gap watch - a retired topic id is not compared; other ids are", async () => {
  const kafka = adminKafka();
  const topic = randomName("retired");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 2 }]);
  const dir = await Deno.makeTempDir({ prefix: "freshet-retired-" });
  const db = openDatabase(`${dir}/c.db`);
  migrate(db, KERNEL_MIGRATIONS);
  const watch = new GapWatch({
    kafka,
    db,
    definition: { name: "retired-test", topics: {} } as never,
    offsets: offsetStore(db),
    policy: "accept",
    log: createLogger("test"),
  });
  try {
    const before = await watch.logStates(topic, [0, 1]);
    assert.deepEqual([...before.keys()], [0, 1]);
    const liveId = before.get(0)!.topicId!;
    assert.match(liveId, /^[0-9a-f]{32}$/);

    // Another topic's recreation, and this one's from an id that is not the live one: no effect.
    const gap = { partition: 0, stored: 7, resumeAt: 0, kind: "recreated" as const };
    recordGap(
      db,
      { ...gap, topic: `${topic}-other`, storedTopicId: liveId, topicId: "ab" },
      "accept",
    );
    recordGap(
      db,
      { ...gap, topic, storedTopicId: "0".repeat(31) + "1", topicId: liveId },
      "accept",
    );
    const log = (await watch.logStates(topic, [0]))!.get(0)!;
    assert.deepEqual(watch.current(topic, log), log);
    const where = { topic, partition: 0 };
    assert.deepEqual(watch.handle(where, { offset: 0, topicId: liveId }, log), { action: "none" });

    // The live id recorded as the old one of a recreation: the broker's answer is stale.
    recordGap(db, { ...gap, topic, storedTopicId: liveId, topicId: "f".repeat(32) }, "accept");
    assert.deepEqual([...retiredTopicIds(db, topic)].sort(), ["0".repeat(31) + "1", liveId].sort());
    assert.deepEqual(watch.current(topic, log), { ...log, topicId: undefined });
    // Stored under the new id, the old one read: no second recreation.
    assert.deepEqual(watch.handle(where, { offset: 0, topicId: "f".repeat(32) }, log), {
      action: "none",
    });
    // Offsets are still compared: a position past the log's end is a gap.
    assert.deepEqual(
      watch.handle(where, { offset: log.end + 5, topicId: "f".repeat(32) }, log),
      { action: "resume", offset: log.start },
    );
  } finally {
    await watch.close();
    db.close();
    await drop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
