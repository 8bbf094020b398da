import assert from "node:assert/strict";
import { partitionHealth, type PartitionState } from "./partition_health.ts";

const p = (topic: string, partition: number, leader: number, isr: number[]): PartitionState => ({
  topic,
  partition,
  leader,
  replicas: [1, 2, 3],
  isr,
  offline: [1, 2, 3].filter((r) => !isr.includes(r)),
});

Deno.test("partition health - the three lists follow kafka-topics' own flags", async (t) => {
  const partitions = [
    p("b", 1, 1, [1, 2, 3]),
    p("b", 0, 1, [1, 2]),
    p("a", 2, -1, []),
    p("a", 0, 2, [2]),
  ];
  const health = partitionHealth(partitions, new Map([["a", 2], ["b", 3]]));
  await t.step("under-replicated: fewer in-sync replicas than replicas, sorted", () => {
    assert.deepEqual(health.underReplicated.map((i) => `${i.topic}:${i.partition}`), [
      "a:0",
      "a:2",
      "b:0",
    ]);
  });
  await t.step("offline: no leader", () => {
    assert.deepEqual(health.offline.map((i) => `${i.topic}:${i.partition}`), ["a:2"]);
  });
  await t.step("under min ISR: fewer in-sync replicas than the topic's minimum", () => {
    assert.deepEqual(
      health.underMinIsr.map((i) => `${i.topic}:${i.partition}:${i.minIsr}`),
      ["a:0:2", "a:2:2", "b:0:3"],
    );
    assert.equal(health.total, 4);
  });
  await t.step("a topic whose minimum is unknown is never under it", () => {
    assert.deepEqual(partitionHealth(partitions, new Map()).underMinIsr, []);
  });
});
