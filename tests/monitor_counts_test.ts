/**
 * The monitor against the real broker: it counts exactly the messages
 * produced to each topic (several topics and partitions, one created after
 * it started), per partition and in its time series; the counts stay exact
 * across a restart; a deleted topic is dropped without an error loop.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";

const values = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}` }));

function expectCounts(dataDir: string, expected: Record<string, number>) {
  const counted = countedPerTopic(dataDir);
  return Object.entries(expected).every(([topic, n]) => counted.get(topic) === n);
}

Deno.test("monitor - counts exactly the messages of every topic, across a restart", async () => {
  const fx = await monitorFixture("mon-count");
  try {
    const a = await fx.createTopic("a", 3);
    const b = await fx.createTopic("b", 2);
    await produce(fx.kafka, a, values(500, "a"));
    const first = fx.monitor();
    await first.start();
    await produce(fx.kafka, b, values(321, "b"));
    const c = await fx.createTopic("c.dlq", 1);
    await produce(fx.kafka, c, values(17, "c"));
    const expected = { [a]: 500, [b]: 321, [c]: 17 };
    await waitFor(
      "counts of a, b and the later topic c",
      () => expectCounts(fx.dataDir, expected),
      40_000,
    );
    assert.deepEqual(first.consumer.topics, [a, b, c].sort());

    const db = openMonitorDatabase(fx.dataDir);
    try {
      const perPartition = db.prepare(
        "SELECT partition, messages FROM topic_totals WHERE topic = ? ORDER BY partition",
      ).all(a) as { partition: number; messages: number }[];
      const offsets = await withAdmin(fx.kafka, (admin) => admin.fetchTopicOffsets(a));
      assert.deepEqual(
        perPartition.map((r) => [r.partition, r.messages]),
        offsets.map((o) => [o.partition, Number(o.high)]).sort((x, y) => x[0] - y[0]),
        "per partition, as many as the partition's end offset",
      );
      const series = db.prepare(
        "SELECT res, SUM(messages) AS n FROM topic_traffic WHERE topic = ? GROUP BY res ORDER BY res",
      ).all(b).map((r) => [r.res, r.n]);
      assert.deepEqual(
        series,
        [[1_000, 321], [10_000, 321], [300_000, 321], [1_200_000, 321]],
        "each resolution (the sample, the coarse one, the rollups) adds up to the total",
      );
      const feed = db.prepare("SELECT value FROM feed WHERE topic = ? ORDER BY id").all(b);
      assert.equal(feed.length, 20, "the newest 20 messages are kept");
    } finally {
      db.close();
    }

    await first.stop();
    await produce(fx.kafka, a, values(250, "a2"));
    const second = fx.monitor();
    await second.start();
    expected[a] = 750;
    await waitFor(
      "a counted once more after the restart",
      () => expectCounts(fx.dataDir, expected),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    assert.ok(expectCounts(fx.dataDir, expected), "nothing counted twice");

    await withAdmin(fx.kafka, (admin) => admin.deleteTopics({ topics: [c] }));
    await waitFor("the deleted topic dropped", () => !second.consumer.topics.includes(c), 20_000);
    assert.equal(countedPerTopic(fx.dataDir).get(c), undefined);
    await produce(fx.kafka, b, values(5, "b2"));
    expected[b] = 326;
    delete expected[c];
    await waitFor(
      "still counting after the deletion",
      () => expectCounts(fx.dataDir, expected),
      20_000,
    );
    assert.equal(second.consumer.lastError, undefined);
  } finally {
    await fx.close();
  }
});
