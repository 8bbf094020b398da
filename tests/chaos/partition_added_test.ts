/**
 * The fault campaign's finding in the kernel's producers: KafkaJS drops,
 * silently, the messages of a partition its producer's metadata does not
 * know yet, and resolves the send (a partition just added; KafkaJS reads
 * metadata every 5 minutes). On a 3-node cluster (127.0.0.31–33), a send
 * a minute after partitions were added (when the split's counts see them)
 * writes every message, or fails retriably naming the partition; retried,
 * every message is in the log once.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createIdempotentProducer, createKafka, withAdmin } from "../../shared/kafka/client.ts";
import { PartitionUnknownError } from "../../shared/kafka/partitioned_send.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { randomName } from "../helpers.ts";
import { spawnLocalCluster } from "../local_cluster_helpers.ts";

Deno.test("chaos - a send right after partitions were added loses nothing", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-partition-added-" });
  const cluster = spawnLocalCluster({
    dataDir,
    basePort: 39692,
    brokers: 3,
    firstHost: "127.0.0.31",
  });
  try {
    const brokers = (await cluster.readLine("READY ", 180_000)).slice(6).split(",");
    const kafka = createKafka({
      brokers: [brokers[0]],
      local: true,
      clientId: "partition-added",
      sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
    });
    const topic = randomName("grow");
    await withAdmin(kafka, (admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 3, replicationFactor: 3 }],
      }));
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const keys = Array.from({ length: 60 }, (_, i) => `order-${i}`);
    let unknown = 0;
    try {
      await producer.send({ topic, messages: [{ key: "warm", value: Buffer.from("{}") }] });
      await withAdmin(
        kafka,
        (admin) => admin.createPartitions({ topicPartitions: [{ topic, count: 6 }] }),
      );
      let left = keys;
      for (let attempt = 0; left.length > 0 && attempt < 30; attempt++) {
        const failed: string[] = [];
        await Promise.all(left.map(async (key) => {
          try {
            await producer.send({ topic, acks: -1, messages: [{ key, value: Buffer.from(key) }] });
          } catch (error) {
            assert.ok(error instanceof PartitionUnknownError, String(error));
            unknown++;
            failed.push(key);
          }
        }));
        left = failed;
        if (left.length > 0) await new Promise((r) => setTimeout(r, 1_000));
      }
      assert.deepEqual(left, [], "every message sent in the end");
    } finally {
      await producer.disconnect();
    }
    const { messages } = await readRange(kafka, {
      groupId: randomName("reader"),
      topics: [topic],
      from: "earliest",
      timeoutMs: 30_000,
    });
    const written = messages.map((m) => m.key).filter((k) => k !== "warm").sort();
    console.log(
      `CHAOS partition added: ${unknown} sends refused while the producer did not know the new partitions`,
    );
    assert.deepEqual(written, [...keys].sort(), "every message in the log once");
  } finally {
    await cluster.kill();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
