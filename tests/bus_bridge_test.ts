/**
 * A consumer running as its own process reaches the server's bus (and so
 * open pages) through the Unix-socket bridge, within a second of the
 * message being produced.
 */
import assert from "node:assert/strict";
import { type BusMessage, subscribe } from "../shared/bus/bus.ts";
import { busSocketPath, listenBusBridge } from "../shared/bus/bridge.ts";
import type { ConsumerStatus } from "../shared/consumer/status.ts";
import { consumerRunFlags } from "../shared/consumer/workers.ts";
import { sinkEntry } from "./fixtures/sink_consumer.ts";
import {
  adminKafka,
  createTopics,
  produce,
  randomName,
  signalIfRunning,
  waitFor,
} from "./helpers.ts";

Deno.test("bus bridge - a standalone consumer's update reaches the server's bus within 1 s", async () => {
  const kafka = adminKafka();
  const topic = randomName("bridge");
  const drop = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
  // The test run may use exactly one Unix socket (tasks/run_tests.ts): this folder's.
  const dataDir = new URL("../data/test-bridge", import.meta.url).pathname;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dataDir, { recursive: true });
  const bridge = await listenBusBridge(busSocketPath(dataDir));
  const received: { message: BusMessage; at: number }[] = [];
  const unsubscribe = subscribe((message) => received.push({ message, at: Date.now() }));
  const child = new Deno.Command("deno", {
    args: [
      "run",
      ...consumerRunFlags(sinkEntry, { dataDir, brokers: ["127.0.0.1:9092"] }),
      sinkEntry.url.pathname,
    ],
    env: { SINK_TOPIC: topic, SINK_GROUP: randomName("g"), DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    await waitFor(
      "the consumer's running status through the bridge",
      () =>
        received.some(({ message }) =>
          message.topic === "consumer" && (message.data as ConsumerStatus).state === "running"
        ),
      30_000,
    );
    const producedAt = Date.now();
    await produce(kafka, topic, [{ key: "k", value: JSON.stringify({ n: 42 }) }]);
    await waitFor(
      "the sink's item note",
      () => received.some(({ message }) => message.topic === "sink"),
      5_000,
    );
    const note = received.find(({ message }) => message.topic === "sink")!;
    assert.deepEqual(note.message.data, { n: 42 });
    const latency = note.at - producedAt;
    assert.ok(latency < 1_000, `reached the bus in ${latency} ms`);
  } finally {
    signalIfRunning(child, "SIGTERM");
    assert.equal((await child.status).code, 0);
    unsubscribe();
    bridge.close();
    await drop();
  }
});
