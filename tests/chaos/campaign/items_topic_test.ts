import assert from "node:assert/strict";
import { withAdmin } from "../../../shared/kafka/client.ts";
import { adminKafka, createTopics, produce, randomName } from "../../helpers.ts";
import { ItemsTopic } from "./items_topic.ts";

Deno.test("campaign items topic - a send across a recreation is labelled with the log that holds it", async () => {
  const kafka = adminKafka();
  const name = randomName("t-campaign-items");
  await createTopics(kafka, [{ topic: name, numPartitions: 2 }]);
  const items = new ItemsTopic(kafka, name);
  try {
    await items.connect();
    const old = items.state().topicId;
    assert.match(old, /^[0-9a-f]{32}$/);
    await produce(kafka, name, [{ value: JSON.stringify({ n: 1 }), partition: 0 }]);
    const quiet = items.epoch();
    assert.equal(
      await items.incarnationOf({ n: 1, partition: 0, offset: 0 }, old, quiet),
      old,
      "no recreation: the label read before the send",
    );

    const straddling = items.epoch();
    let during = -1;
    await items.recreate(async () => {
      during = items.epoch();
      await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [name] }));
      for (let i = 0; i < 60; i++) {
        try {
          await createTopics(kafka, [{ topic: name, numPartitions: 2 }]);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 500)); // still being deleted
        }
      }
      // The new log's first records: item 7 on partition 0, item 8 on partition 1.
      await produce(kafka, name, [
        { value: JSON.stringify({ n: 7 }), partition: 0 },
        { value: JSON.stringify({ n: 8 }), partition: 1 },
      ]);
    });
    const recreated = items.state().topicId;
    assert.notEqual(recreated, old, "the new incarnation's id is read after the recreation");
    assert.equal(during % 2, 1, "odd while a recreation is in progress");
    assert.equal(items.epoch() % 2, 0);

    const settle = (n: number, partition: number, offset: number, epoch = straddling) =>
      items.incarnationOf({ n, partition, offset }, old, epoch);
    assert.equal(await settle(7, 0, 0), recreated, "the new log holds it: the new incarnation");
    assert.equal(await settle(8, 1, 0), recreated);
    assert.equal(await settle(7, 0, 0, during), recreated, "a send begun during the recreation");
    assert.equal(await settle(1, 0, 0), old, "another item there: it was in the old log");
    assert.equal(await settle(9, 0, 5), old, "past the new log's end: the old log");
  } finally {
    await items.close();
    await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [name] })).catch(() => {});
  }
});
