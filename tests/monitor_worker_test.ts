/**
 * The monitor as a Worker of the server, registered in the root list (freshet.ts):
 * it starts with the Worker protocol and its narrowed permissions, reports
 * its status on the bus like every consumer (so the home page and /health
 * show it), counts, and stops on `stop`.
 */
import assert from "node:assert/strict";
import { consumerEntries } from "../freshet.ts";
import { subscribe } from "../shared/bus/bus.ts";
import type { ConsumerStatus } from "../shared/consumer/status.ts";
import { startConsumerWorker } from "../shared/consumer/workers.ts";
import { LOCAL_BROKER } from "../shared/kafka/config.ts";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";

Deno.test("monitor worker - starts, reports its status, counts, stops", async () => {
  const fx = await monitorFixture("mon-worker");
  const statuses: ConsumerStatus[] = [];
  const unsubscribe = subscribe((m) => {
    if (m.topic === "consumer" && m.type === "status") statuses.push(m.data as ConsumerStatus);
  });
  const entry = consumerEntries({}).find((e) => e.name === "monitor")!;
  const worker = startConsumerWorker(
    entry,
    { dataDir: fx.dataDir, brokers: [LOCAL_BROKER] },
    fx.env,
  );
  try {
    const topic = await fx.createTopic("contas", 2);
    await worker.started;
    await produce(fx.kafka, topic, [{ key: "1", value: "a" }, { key: "2", value: "b" }]);
    await waitFor(
      "counted by the Worker",
      () => countedPerTopic(fx.dataDir).get(topic) === 2,
      30_000,
    );
    await waitFor(
      "a running status naming the topic",
      () =>
        statuses.some((s) =>
          s.name === "monitor" && s.state === "running" && s.mode === "worker" &&
          s.topics.includes(topic) && s.counters.processed === 2
        ),
      10_000,
    );
    await worker.stop(20_000);
    await waitFor("stopped reported", () => statuses.some((s) => s.state === "stopped"), 5_000);
    assert.ok(statuses.every((s) => s.groupId.startsWith("monitor-traffic-")));
  } finally {
    unsubscribe();
    await worker.stop(5_000).catch(() => {});
    await fx.close();
  }
});
