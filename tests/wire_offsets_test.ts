import assert from "node:assert/strict";
import { Partitioners } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { createCluster } from "../shared/kafka/wire/kafka_cluster.ts";
import { readPartitionOffsets } from "../shared/kafka/wire/list_offsets.ts";
import { readTopicMetadata } from "../shared/kafka/wire/metadata_request.ts";
import { fetchGroupOffsets, findCoordinators } from "../shared/kafka/wire/offset_fetch.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

Deno.test("wire offsets - many partitions and groups per request, as KafkaJS's admin reads them", async (t) => {
  const kafka = adminKafka();
  const topics = [randomName("offsets"), randomName("offsets")];
  const groups = [randomName("offsets-g"), randomName("offsets-g")];
  const never = randomName("offsets-none");
  const drop = await createTopics(kafka, topics.map((topic) => ({ topic, numPartitions: 3 })));
  const cluster = createCluster(kafka);
  await cluster.connect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const [i, topic] of topics.entries()) {
      await producer.send({
        topic,
        messages: Array.from(
          { length: 4 + i * 3 },
          (_, n) => ({ value: `m${n}`, partition: n % 2 }),
        ),
      });
    }
    await withAdmin(kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [topics[0]] }); // KafkaJS's deleteTopicRecords needs it loaded
      await admin.deleteTopicRecords({
        topic: topics[0],
        partitions: [{ partition: 0, offset: "1" }],
      });
      await admin.setOffsets({
        groupId: groups[0],
        topic: topics[0],
        partitions: [{ partition: 0, offset: "2" }, { partition: 1, offset: "1" }],
      });
      await admin.setOffsets({
        groupId: groups[1],
        topic: topics[1],
        partitions: [{ partition: 2, offset: "0" }],
      });
      await admin.setOffsets({
        groupId: groups[1],
        topic: topics[0],
        partitions: [{ partition: 1, offset: "2" }],
      });
    });

    await t.step("ListOffsets: every partition's start and end, as fetchTopicOffsets", async () => {
      const metadata = await readTopicMetadata(cluster, [...topics, randomName("missing")], {
        from: "any",
      });
      const mine = (await readPartitionOffsets(cluster, metadata.topics))
        .map((o) => [o.topic, o.partition, o.errorCode, o.start, o.end]);
      const theirs = await withAdmin(
        kafka,
        async (admin) =>
          (await Promise.all(
            topics.map(async (topic) =>
              (await admin.fetchTopicOffsets(topic)).map((
                p,
              ) => [topic, p.partition, 0, Number(p.low), Number(p.high)])
            ),
          )).flat(),
      );
      const order = (a: unknown[], b: unknown[]) =>
        `${a[0]}:${a[1]}`.localeCompare(`${b[0]}:${b[1]}`);
      assert.deepEqual(mine.sort(order), theirs.sort(order));
      assert.deepEqual(
        mine.find((o) => o[0] === topics[0] && o[1] === 0)?.slice(3),
        [1, 2],
        "start moved",
      );
    });

    await t.step(
      "OffsetFetch: every group's committed offsets in one request, as fetchOffsets",
      async () => {
        const ids = [...groups, never];
        const coordinators = await findCoordinators(cluster, ids);
        assert.deepEqual([...coordinators.keys()].sort(), [...ids].sort());
        const mine = await fetchGroupOffsets(cluster, ids, coordinators);
        await withAdmin(kafka, async (admin) => {
          for (const groupId of ids) {
            const answer = mine.get(groupId);
            assert.ok(answer && "offsets" in answer, `${groupId}: ${JSON.stringify(answer)}`);
            const theirs = (await admin.fetchOffsets({ groupId })).flatMap((x) =>
              x.partitions.map((p) => [x.topic, p.partition, Number(p.offset)])
            ).filter((o) => Number(o[2]) >= 0).sort();
            const got = answer.offsets.map((o) => [o.topic, o.partition, o.offset]).sort();
            assert.deepEqual(got, theirs, groupId);
          }
        });
        const first = mine.get(groups[0]);
        assert.ok(first && "offsets" in first && first.offsets.length === 2, "two committed");
        const none = mine.get(never);
        assert.ok(
          none && "offsets" in none && none.offsets.length === 0,
          "a group never seen: none",
        );
      },
    );
  } finally {
    await producer.disconnect();
    await cluster.disconnect();
    await withAdmin(kafka, (admin) => admin.deleteGroups(groups)).catch(() => {});
    await drop();
  }
});
