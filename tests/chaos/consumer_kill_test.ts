/**
 * A standalone consumer SIGKILLed again and again mid-load, restarted each
 * time: every message materialised exactly once; after each restart it
 * reports `rejoining` until its group hands it partitions again.
 */
import assert from "node:assert/strict";
import { type BusMessage, subscribe } from "../../shared/bus/bus.ts";
import { busSocketPath, listenBusBridge } from "../../shared/bus/bridge.ts";
import type { ConsumerStatus } from "../../shared/consumer/status.ts";
import { consumerRunFlags } from "../../shared/consumer/workers.ts";
import { TEST_BRIDGE_DIR } from "../../tasks/test_permissions.ts";
import { sinkEntry, sinkMessage } from "../fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, terminate, waitFor } from "../helpers.ts";
import { FULL, sinkRows, size } from "./chaos.ts";

const TOTAL = size(20_000, 100_000);
const KILLS = size(4, 10);

Deno.test(`chaos - a standalone consumer SIGKILLed ${KILLS} times mid-load of ${TOTAL} messages: each materialised once`, async () => {
  const kafka = adminKafka();
  const topic = randomName("kill");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq` }]);
  // The one Unix socket the test run may use: the consumer's bus reaches this test through it.
  const dataDir = new URL(`../../${TEST_BRIDGE_DIR}`, import.meta.url).pathname;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dataDir, { recursive: true });
  const bridge = await listenBusBridge(busSocketPath(dataDir));
  const states: { state: string; at: number }[] = [];
  const unsubscribe = subscribe((message: BusMessage) => {
    if (message.topic !== "consumer") return;
    const status = message.data as ConsumerStatus;
    if (status.name === "sink" && states.at(-1)?.state !== status.state) {
      states.push({ state: status.state, at: Date.now() });
    }
  });
  const env = {
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
    CONSUMER_TXN_MESSAGES: "250",
    SINK_SLOW_US: FULL ? "150" : "300", // the load lasts long enough for every kill to land in it
  };
  const spawn = () =>
    new Deno.Command("deno", {
      args: [
        "run",
        ...consumerRunFlags(sinkEntry, { dataDir, brokers: ["127.0.0.1:9092"] }),
        sinkEntry.url.pathname,
      ],
      env,
      stdout: "null",
      stderr: "null",
    }).spawn();
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: TOTAL }, (_, n) => sinkMessage(n)),
    );
    const step = Math.floor(TOTAL / (KILLS + 2));
    let before = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const startedAt = Date.now();
      const child = spawn();
      const killAt = before + step; // it applied rows of the load since the previous kill
      await waitFor(`${killAt} rows`, () => sinkRows(dataDir).rows >= killAt, 120_000);
      if (kill > 1) {
        const running = states.find((s) => s.at >= startedAt && s.state === "running");
        if (running) {
          console.log(`CHAOS consumer restart ${kill}: running after ${running.at - startedAt} ms`);
        }
        const since = states.filter((s) => s.at >= startedAt).map((s) => s.state);
        assert.ok(
          since.indexOf("rejoining") >= 0 && since.indexOf("rejoining") < since.indexOf("running"),
          `kill ${kill}: rejoining, then running (${since.join(" → ")})`,
        );
      }
      child.kill("SIGKILL");
      await child.status;
      const atKill = sinkRows(dataDir).rows;
      assert.ok(atKill > before && atKill < TOTAL, `kill ${kill} landed mid-load (${atKill} rows)`);
      before = atKill;
    }
    const last = spawn();
    await waitFor(`${TOTAL} rows`, () => sinkRows(dataDir).rows >= TOTAL, 180_000);
    await new Promise((r) => setTimeout(r, 500)); // would a duplicate still arrive?
    const status = await terminate(last);
    assert.deepEqual(
      { code: status.code, killed: status.killed },
      { code: 0, killed: false },
      "graceful stop on SIGTERM",
    );
    assert.deepEqual(sinkRows(dataDir), { rows: TOTAL, distinct: TOTAL });
  } finally {
    unsubscribe();
    bridge.close();
    await drop();
    await Deno.remove(`${dataDir}/sink`, { recursive: true }).catch(() => {});
  }
});
