import assert from "node:assert/strict";
import { int16, int32, int64 } from "./wire_bytes_fixture.ts";
import { FlexibleReader } from "./flexible_codec.ts";
import {
  decodeListOffsets,
  EARLIEST_TIMESTAMP,
  encodeListOffsets,
  readPartitionOffsets,
} from "./list_offsets.ts";
import type { KafkaCluster } from "./kafka_cluster.ts";
import type { MetadataTopic } from "./metadata_request.ts";

const str = (s: string) => [...int16(s.length), ...new TextEncoder().encode(s)];

Deno.test("list offsets - the v2 request and response as Kafka documents them", async (t) => {
  await t.step("request: client replica id, read uncommitted, topics and partitions", () => {
    const bytes = encodeListOffsets([{ topic: "ab", partitions: [0, 7] }], EARLIEST_TIMESTAMP);
    assert.deepEqual([...bytes], [
      ...int32(-1),
      0,
      ...int32(1),
      ...str("ab"),
      ...int32(2),
      ...int32(0),
      ...int64(-2),
      ...int32(7),
      ...int64(-2),
    ]);
  });
  await t.step("response: each partition's offset or error, flattened", () => {
    const payload = new Uint8Array([
      ...int32(0), // throttle
      ...int32(2),
      ...str("ab"),
      ...int32(2),
      ...int32(0),
      ...int16(0),
      ...int64(-1),
      ...int64(5_000_000_000),
      ...int32(7),
      ...int16(6), // NOT_LEADER_OR_FOLLOWER
      ...int64(-1),
      ...int64(-1),
      ...str("c"),
      ...int32(1),
      ...int32(3),
      ...int16(0),
      ...int64(-1),
      ...int64(42),
    ]);
    assert.deepEqual(decodeListOffsets(payload), [
      { topic: "ab", partition: 0, errorCode: 0, offset: 5_000_000_000 },
      { topic: "ab", partition: 7, errorCode: 6, offset: -1 },
      { topic: "c", partition: 3, errorCode: 0, offset: 42 },
    ]);
  });
});

/** A cluster whose brokers answer ListOffsets from `logs` (start, end per `topic:partition`). */
function fakeCluster(
  logs: Record<string, [number, number]>,
  asked: number[],
  down: number[] = [],
): KafkaCluster {
  const broker = (nodeId: number) => ({
    nodeId,
    connectionPool: {
      send(request: { request: { encode(): Promise<{ buffer: Uint8Array }> } }) {
        asked.push(nodeId);
        return request.request.encode().then(({ buffer }) => {
          const r = new FlexibleReader(new Uint8Array(buffer));
          r.int32();
          r.int8();
          const answers = r.classicArray(() => {
            const topic = r.classicString();
            return r.classicArray(() => {
              const partition = r.int32();
              const timestamp = r.int64();
              const log = logs[`${topic}:${partition}`];
              return { topic, partition, errorCode: 0, offset: log[timestamp === -2 ? 0 : 1] };
            });
          }).flat();
          return answers;
        });
      },
    },
  });
  return {
    findBroker: ({ nodeId }: { nodeId: string }) =>
      down.includes(Number(nodeId))
        ? Promise.reject(new Error(`broker ${nodeId} is down`))
        : Promise.resolve(broker(Number(nodeId))),
  } as unknown as KafkaCluster;
}

const partition = (p: number, leader: number) => ({
  partition: p,
  errorCode: leader < 0 ? 5 : 0,
  leader,
  leaderEpoch: 0,
  replicas: [],
  isr: [],
  offlineReplicas: [],
});

Deno.test("list offsets - one request per leader and kind; errors stay with their partitions", async () => {
  const topics: MetadataTopic[] = [
    {
      name: "a",
      errorCode: 0,
      internal: false,
      partitions: [partition(0, 1), partition(1, 2), partition(2, -1)],
    },
    { name: "b", errorCode: 0, internal: false, partitions: [partition(0, 1), partition(1, 3)] },
    { name: "gone", errorCode: 3, internal: false, partitions: [] },
  ];
  const asked: number[] = [];
  const logs: Record<string, [number, number]> = {
    "a:0": [0, 10],
    "a:1": [2, 4],
    "b:0": [5, 5],
  };
  const offsets = await readPartitionOffsets(fakeCluster(logs, asked, [3]), topics);
  assert.deepEqual(asked.sort(), [1, 1, 2, 2], "leaders 1 and 2, earliest and latest each");
  assert.deepEqual(offsets, [
    { topic: "a", partition: 0, errorCode: 0, start: 0, end: 10 },
    { topic: "a", partition: 1, errorCode: 0, start: 2, end: 4 },
    { topic: "a", partition: 2, errorCode: 5 },
    { topic: "b", partition: 0, errorCode: 0, start: 5, end: 5 },
    { topic: "b", partition: 1, errorCode: -1, error: "broker 3 is down" },
  ]);
  const ends = await readPartitionOffsets(fakeCluster(logs, [], [3]), topics.slice(0, 1), {
    earliest: false,
  });
  assert.deepEqual(ends.map((o) => [o.start, o.end]), [[undefined, 10], [undefined, 4], [
    undefined,
    undefined,
  ]]);
});
