import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Partitioners } from "kafkajs";
import { keyPartition, murmur2 } from "./key_partition.ts";

Deno.test("murmur2 - matches Kafka's Java client on its own test vectors", () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  const cases: [string, number][] = [
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ];
  for (const [key, hash] of cases) assert.equal(murmur2(new TextEncoder().encode(key)), hash, key);
});

Deno.test("keyPartition - the partition KafkaJS's DefaultPartitioner (every Freshet producer) picks", () => {
  const partitioner = Partitioners.DefaultPartitioner();
  for (const partitions of [1, 3, 7, 12]) {
    const partitionMetadata = Array.from({ length: partitions }, (_, i) => ({
      partitionId: i,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
      offlineReplicas: [],
    }));
    for (let i = 0; i < 500; i++) {
      const key = i % 2 === 0 ? `order-${i}` : `clé-${i}-${"x".repeat(i % 9)}`;
      const expected = partitioner({
        topic: "t",
        partitionMetadata,
        message: { key: Buffer.from(key), value: null },
      });
      assert.equal(keyPartition(key, partitions), expected, `${key} of ${partitions}`);
    }
  }
});
