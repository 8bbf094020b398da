import assert from "node:assert/strict";
import type { Kafka, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from "kafkajs";
import { keyPartition } from "./key_partition.ts";
import { partitionedProducer } from "./partitioned_send.ts";

/** A Kafka whose admin reports `brokers` brokers and 3 partitions per topic. */
function fakeKafka(brokers: number): Kafka {
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    describeCluster: () =>
      Promise.resolve({ brokers: Array.from({ length: brokers }, (_, i) => ({ nodeId: i })) }),
    fetchTopicMetadata: () => Promise.resolve({ topics: [{ partitions: [{}, {}, {}] }] }),
  };
  return { admin: () => admin } as unknown as Kafka;
}

/** A producer recording each call: which topics and partitions it wrote. */
function recordingProducer() {
  const calls: { kind: string; parts: string[] }[] = [];
  const meta = (topic: string, partition: number): RecordMetadata =>
    ({ topicName: topic, partition, errorCode: 0, baseOffset: "0" }) as RecordMetadata;
  const producer = {
    send: (r: ProducerRecord) => {
      calls.push({ kind: "send", parts: r.messages.map((m) => `${r.topic}/${m.partition}`) });
      return Promise.resolve([meta(r.topic, Number(r.messages[0].partition ?? -1))]);
    },
    sendBatch: (b: ProducerBatch) => {
      calls.push({
        kind: "batch",
        parts: (b.topicMessages ?? []).flatMap((t) =>
          t.messages.map((m) => `${t.topic}/${m.partition ?? "?"}`)
        ),
      });
      return Promise.resolve([]);
    },
  };
  return { producer: producer as unknown as Producer, calls };
}

Deno.test("partitioned sends - one call writes one partition on a cluster of several brokers", async (t) => {
  await t.step(
    "keyed messages go where the default partitioner puts them, one call each",
    async () => {
      const { producer, calls } = recordingProducer();
      const keys = Array.from({ length: 30 }, (_, i) => `order-${i}`);
      await partitionedProducer(fakeKafka(3), producer).send({
        topic: "orders",
        messages: keys.map((key) => ({ key, value: "v" })),
      });
      assert.ok(calls.length > 1 && calls.length <= 3, `${calls.length} calls`);
      for (const call of calls) {
        assert.equal(call.kind, "send");
        assert.equal(new Set(call.parts).size, 1, `one partition per call: ${call.parts}`);
      }
      const written = calls.flatMap((c) => c.parts).sort();
      assert.deepEqual(written, keys.map((k) => `orders/${keyPartition(k, 3)}`).sort());
    },
  );
  await t.step("a batch across topics too; an explicit partition is kept", async () => {
    const { producer, calls } = recordingProducer();
    await partitionedProducer(fakeKafka(3), producer).sendBatch({
      topicMessages: [
        { topic: "a", messages: [{ key: null, value: "1", partition: 2 }] },
        { topic: "b", messages: [{ key: null, value: "2" }, { key: null, value: "3" }] },
      ],
    });
    assert.ok(calls.some((c) => c.parts.join() === "a/2"));
    assert.equal(calls.flatMap((c) => c.parts).filter((p) => p.startsWith("b/")).length, 2);
    for (const call of calls) assert.equal(new Set(call.parts).size, 1);
  });
});

Deno.test("partitioned sends - a one-broker cluster gets the whole send in one call", async () => {
  const { producer, calls } = recordingProducer();
  await partitionedProducer(fakeKafka(1), producer).send({
    topic: "orders",
    messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "v" })),
  });
  assert.deepEqual(calls.map((c) => c.kind), ["batch"]);
});
