import assert from "node:assert/strict";
import type { PartitionMetadata } from "kafkajs";
import { type Lookup, TopicMetadataCache } from "./topic_metadata.ts";

function partitions(n: number): PartitionMetadata[] {
  return Array.from({ length: n }, (_, i) => ({
    partitionId: n - 1 - i,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));
}

function setup(answers: Record<string, number | undefined | Error>) {
  let now = 0;
  const calls: string[] = [];
  const lookup: Lookup = (topic) => {
    calls.push(topic);
    const answer = answers[topic];
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer === undefined ? undefined : partitions(answer));
  };
  const cache = new TopicMetadataCache(lookup, {
    ttlMs: 10_000,
    missingTtlMs: 1_000,
    minRefreshMs: 1_000,
    now: () => now,
  });
  return { cache, calls, tick: (ms: number) => (now += ms) };
}

Deno.test("rest proxy metadata - cached for a while, shared while in flight, sorted", async () => {
  const { cache, calls, tick } = setup({ a: 3 });
  const [one, two] = await Promise.all([cache.get("a"), cache.get("a")]);
  assert.deepEqual(one!.map((p) => p.partitionId), [0, 1, 2]);
  assert.equal(one, two);
  tick(9_999);
  await cache.get("a");
  assert.equal(calls.length, 1);
  tick(1);
  await cache.get("a");
  assert.equal(calls.length, 2);
});

Deno.test("rest proxy metadata - unknown topics are remembered briefly, failures not at all", async () => {
  const { cache, calls, tick } = setup({ b: new Error("down") });
  assert.equal(await cache.get("missing"), undefined);
  tick(999);
  await cache.get("missing");
  assert.equal(calls.length, 1);
  tick(1);
  await cache.get("missing");
  assert.equal(calls.length, 2);
  await assert.rejects(cache.get("b"), /down/);
  await assert.rejects(cache.get("b"), /down/);
  assert.equal(calls.filter((t) => t === "b").length, 2);
});

Deno.test("rest proxy metadata - a forced refresh happens at most once per minRefreshMs", async () => {
  const { cache, calls, tick } = setup({ a: 3 });
  await cache.get("a");
  await cache.get("a", { refresh: true });
  assert.equal(calls.length, 1);
  tick(1_000);
  await cache.get("a", { refresh: true });
  assert.equal(calls.length, 2);
  cache.invalidate("a");
  await cache.get("a");
  assert.equal(calls.length, 3);
});
