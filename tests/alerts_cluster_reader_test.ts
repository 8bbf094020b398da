/**
 * The alerts' cluster reader (services/alerts/cluster_reader.ts) keeps the
 * connection that answered between evaluations, and never keeps one that
 * stopped answering: through a fault proxy in front of the local broker.
 */
import assert from "node:assert/strict";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { ClusterReader } from "../services/alerts/cluster_reader.ts";
import type { ClusterView } from "../services/alerts/conditions/snapshot.ts";
import { FaultProxy } from "./chaos/fault_proxy.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

/** The read's topic names, failing with its error when it has none. */
function topicsOf(view: ClusterView): string[] {
  if ("error" in view) assert.fail(`the read failed: ${view.error}`);
  return view.topics.map((t) => t.name);
}

Deno.test("alerts cluster reader - one connection for every evaluation; one that stops answering is replaced", async (t) => {
  const topic = randomName("alerts-reader");
  const drop = await createTopics(adminKafka(), [{ topic, numPartitions: 2 }]);
  const proxy = new FaultProxy({
    listen: { hostname: "127.0.0.1", port: 0 },
    target: { hostname: "127.0.0.1", port: 9092 },
  });
  proxy.start();
  const config = { ...loadKafkaConfig("monitor"), brokers: [proxy.address] };
  const reader = new ClusterReader();
  try {
    await t.step("three reads, one connection, each a fresh answer", async () => {
      for (let i = 0; i < 3; i++) {
        assert.ok(topicsOf(await reader.read(config)).includes(topic));
      }
      assert.equal(reader.connections, 1);
      assert.equal(proxy.accepted, 1);
    });

    await t.step("the connection blackholed: the read ends in time, saying so", async () => {
      proxy.blackhole(true);
      const started = Date.now();
      const view = await reader.read(config, 8_000);
      assert.ok("error" in view, JSON.stringify(view));
      assert.ok(Date.now() - started < 9_000, `${Date.now() - started} ms`);
    });

    await t.step("healed: the next read answers on a new connection", async () => {
      proxy.heal();
      const before = reader.connections;
      assert.ok(topicsOf(await reader.read(config)).includes(topic));
      assert.ok(reader.connections > before, "the blackholed connection was not kept");
      const kept = reader.connections;
      assert.ok(topicsOf(await reader.read(config)).includes(topic));
      assert.equal(reader.connections, kept, "and the new one is kept");
    });
  } finally {
    await reader.close();
    proxy.close();
    await drop();
  }
});
