import assert from "node:assert/strict";
import { compactString as str, int16, int32, int64 } from "./wire_bytes_fixture.ts";
import type { KafkaCluster } from "./kafka_cluster.ts";
import {
  decodeFindCoordinator,
  decodeOffsetFetch,
  encodeFindCoordinator,
  encodeOffsetFetch,
  fetchGroupOffsets,
} from "./offset_fetch.ts";

Deno.test("offset fetch - FindCoordinator v4 and OffsetFetch v8 as Kafka documents them", async (t) => {
  await t.step("FindCoordinator request: header tags, group keys, compact array of ids", () => {
    assert.deepEqual([...encodeFindCoordinator(["g1", "g2"])], [
      0,
      0, // key type: group
      3,
      ...str("g1"),
      ...str("g2"),
      0,
    ]);
  });
  await t.step("FindCoordinator response: each key's node or error", () => {
    const payload = new Uint8Array([
      0,
      ...int32(0),
      3,
      ...str("g1"),
      ...int32(2),
      ...str("host"),
      ...int32(9092),
      ...int16(0),
      0, // null message
      0,
      ...str("g2"),
      ...int32(-1),
      ...str(""),
      ...int32(-1),
      ...int16(15),
      ...str("not available"),
      0,
      0,
    ]);
    assert.deepEqual(decodeFindCoordinator(payload), [
      { key: "g1", nodeId: 2, errorCode: 0 },
      { key: "g2", nodeId: -1, errorCode: 15 },
    ]);
  });
  await t.step("OffsetFetch request: each group with null topics (all), not stable", () => {
    assert.deepEqual([...encodeOffsetFetch(["g1"])], [0, 2, ...str("g1"), 0, 0, 0, 0]);
  });
  await t.step("OffsetFetch response: groups, their offsets, group and partition errors", () => {
    const partition = (p: number, offset: number, error = 0) => [
      ...int32(p),
      ...int64(offset),
      ...int32(-1),
      0, // null metadata
      ...int16(error),
      0,
    ];
    const payload = new Uint8Array([
      0,
      ...int32(0),
      3,
      ...str("g1"),
      2,
      ...str("orders"),
      3,
      ...partition(0, 5_000_000_000),
      ...partition(1, -1, 3),
      0,
      ...int16(0),
      0,
      ...str("g2"),
      1,
      ...int16(16),
      0,
      0,
    ]);
    assert.deepEqual(decodeOffsetFetch(payload), [
      {
        groupId: "g1",
        errorCode: 0,
        offsets: [
          { topic: "orders", partition: 0, offset: 5_000_000_000, errorCode: 0 },
          { topic: "orders", partition: 1, offset: -1, errorCode: 3 },
        ],
      },
      { groupId: "g2", errorCode: 16, offsets: [] },
    ]);
  });
});

Deno.test("offset fetch - a broker without v8 is asked one group at a time; errors stay per group", async () => {
  const sent: string[] = [];
  const old = {
    nodeId: 1,
    versions: { 9: { minVersion: 1, maxVersion: 7 }, 10: { minVersion: 0, maxVersion: 3 } },
    connectionPool: { send: () => Promise.reject(new Error("no raw request expected")) },
    offsetFetch({ groupId }: { groupId: string }) {
      sent.push(groupId);
      if (groupId === "bad") return Promise.reject(new Error("not authorised"));
      return Promise.resolve({
        responses: [{ topic: "t", partitions: [{ partition: 0, offset: "7", errorCode: 0 }] }],
      });
    },
  };
  const cluster = {
    brokerPool: { findConnectedBroker: () => Promise.resolve(old) },
    findBroker: () => Promise.resolve(old),
    findGroupCoordinator: () => Promise.resolve(old),
  } as unknown as KafkaCluster;
  const offsets = await fetchGroupOffsets(cluster, ["a", "bad"]);
  assert.deepEqual(sent.sort(), ["a", "bad"]);
  assert.deepEqual(offsets.get("a"), {
    offsets: [{ topic: "t", partition: 0, offset: 7, errorCode: 0 }],
  });
  const bad = offsets.get("bad");
  assert.ok(bad && "error" in bad && bad.error.message === "not authorised");
});

Deno.test("offset fetch - a group whose coordinator moved is looked up and asked once more", async () => {
  let lookUps = 0;
  let asked = 0;
  const broker = {
    nodeId: 1,
    versions: {},
    connectionPool: { send: () => Promise.reject(new Error("no raw request expected")) },
    offsetFetch() {
      if (asked++ === 0) {
        return Promise.reject(
          Object.assign(new Error("moved"), { type: "NOT_COORDINATOR_FOR_GROUP" }),
        );
      }
      return Promise.resolve({ responses: [] });
    },
  };
  const cluster = {
    brokerPool: { findConnectedBroker: () => Promise.resolve(broker) },
    findBroker: () => Promise.resolve(broker),
    findGroupCoordinator: () => (lookUps++, Promise.resolve(broker)),
  } as unknown as KafkaCluster;
  const offsets = await fetchGroupOffsets(cluster, ["g"]);
  assert.deepEqual(offsets.get("g"), { offsets: [] });
  assert.deepEqual([lookUps, asked], [2, 2]);
});
