import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { createCluster } from "../shared/kafka/wire/kafka_cluster.ts";
import { readTopicMetadata, topicIdText } from "../shared/kafka/wire/metadata_request.ts";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";

Deno.test("metadata request - topic ids from the broker: stable, new for a recreated topic", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("meta");
  const missing = randomName("missing");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  const cluster = createCluster(kafka);
  await cluster.connect();
  try {
    let first = "";
    await t.step("a topic's id, partitions and leaders, as KafkaJS sees them", async () => {
      const { topics, clusterId, brokers, controllerId } = await readTopicMetadata(cluster, [
        topic,
      ]);
      assert.equal(topics.length, 1);
      assert.equal(topics[0].name, topic);
      assert.equal(topics[0].errorCode, 0);
      assert.match(topics[0].topicId ?? "", /^[0-9a-f]{32}$/);
      first = topics[0].topicId!;
      const known = await withAdmin(kafka, async (admin) => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const described = await admin.describeCluster();
        return {
          clusterId: described.clusterId,
          controller: described.controller,
          brokers: described.brokers.map((b) => [b.nodeId, b.host, b.port])
            .sort((a, b) => Number(a[0]) - Number(b[0])),
          partitions: meta.topics[0].partitions.map((p) => [
            p.partitionId,
            p.leader,
            p.replicas,
            p.isr,
            p.offlineReplicas ?? [],
          ]).sort((a, b) => Number(a[0]) - Number(b[0])),
        };
      });
      assert.equal(clusterId, known.clusterId);
      assert.equal(controllerId, known.controller);
      assert.deepEqual(brokers.map((b) => [b.nodeId, b.host, b.port]), known.brokers);
      assert.deepEqual(
        topics[0].partitions.map((
          p,
        ) => [p.partition, p.leader, p.replicas, p.isr, p.offlineReplicas]),
        known.partitions,
      );
      assert.equal(topicIdText(first).length, 22, "printed as Kafka prints it");
    });

    await t.step("every topic when none is named", async () => {
      const { topics } = await readTopicMetadata(cluster, null);
      const found = topics.find((x) => x.name === topic);
      assert.equal(found?.topicId, first);
      assert.equal(found?.partitions.length, 3);
      assert.ok(topics.length > 1, `${topics.length} topics`);
    });

    await t.step("asked again: the same id", async () => {
      const { topics } = await readTopicMetadata(cluster, [topic]);
      assert.equal(topics[0].topicId, first);
    });

    await t.step("a topic that does not exist: error 3, no id", async () => {
      const { topics } = await readTopicMetadata(cluster, [missing]);
      assert.deepEqual(topics.map((x) => [x.name, x.errorCode, x.topicId]), [[
        missing,
        3,
        undefined,
      ]]);
    });

    await t.step("deleted and created again: another id", async () => {
      await withAdmin(kafka, async (admin) => {
        await admin.deleteTopics({ topics: [topic] });
        await waitFor("gone", async () => !(await admin.listTopics()).includes(topic));
        await waitFor(
          "created again",
          () =>
            admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })
              .then(() => true, () => false),
          30_000,
        );
      });
      let id: string | undefined;
      await waitFor("the new id", async () => {
        id = (await readTopicMetadata(cluster, [topic])).topics[0].topicId;
        return id !== undefined;
      });
      assert.notEqual(id, first);
    });
  } finally {
    await cluster.disconnect();
    await drop();
  }
});
