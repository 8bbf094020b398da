import assert from "node:assert/strict";
// @ts-types="./kafkajs_runner.d.ts"
import Runner from "kafkajs/src/consumer/runner.js";
import { endFetchersAfterStop } from "./kafkajs_runner_stop.ts";

const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * KafkaJS's own runner and fetch manager over a fake group of two brokers;
 * node 1's fetches are slow, so the manager takes a while to stop its
 * fetchers when the leaders move. Counts `fetch` calls, and throws past
 * 100,000 (a loop that never yields would otherwise hang the test itself).
 */
function runnerOverTwoBrokers() {
  const group = { nodeIds: [1, 2] };
  const consumerGroup = {
    getNodeIds: () => group.nodeIds,
    fetch: async (nodeId: number) => {
      await sleep(nodeId === 1 ? 300 : 20);
      return [];
    },
    heartbeat: async () => {},
  };
  const runner = new Runner({
    logger,
    consumerGroup,
    instrumentationEmitter: { emit() {} },
    concurrency: 1,
    eachBatch: async () => {},
    onCrash: () => {},
  });
  const counter = { calls: 0 };
  runner.fetch = function (this: Runner, nodeId: number) {
    if (++counter.calls > 100_000) throw new Error("spinning: 100,000 fetches without a wait");
    return Runner.prototype.fetch.call(this, nodeId);
  };
  return { runner, group, counter };
}

Deno.test("endFetchersAfterStop - a stop during the fetchers' rebalance ends them, no spinning", async () => {
  endFetchersAfterStop();
  const { runner, group, counter } = runnerOverTwoBrokers();
  runner.running = true;
  const fetching = runner.fetchManager.start();
  await sleep(100);
  group.nodeIds = [1, 3]; // a partition's leader moved: node 2's fetcher throws on its next fetch
  await sleep(100); // the manager now waits for node 1's slow fetch to stop the old fetchers
  runner.running = false; // consumer.stop(), as KafkaJS's runner does it
  await runner.fetchManager.stop();
  const beforeEnd = counter.calls;
  const outcome = await Promise.race([
    fetching.then(() => "ended", (error: Error) => `failed: ${error.message}`),
    sleep(5_000).then(() => "still fetching after 5 s"),
  ]);
  assert.equal(outcome, "ended");
  assert.ok(
    counter.calls - beforeEnd <= 4,
    `${counter.calls - beforeEnd} fetches after the stop (the new fetchers' one each)`,
  );
});

Deno.test("endFetchersAfterStop - a running consumer's fetches are KafkaJS's own", async () => {
  endFetchersAfterStop();
  const { runner, counter } = runnerOverTwoBrokers();
  runner.running = true;
  const fetching = runner.fetchManager.start();
  await sleep(700);
  assert.ok(counter.calls >= 10 && counter.calls < 100, `${counter.calls} fetches in 0.7 s`);
  runner.running = false;
  await runner.fetchManager.stop();
  await fetching;
});
