/**
 * A 3-node cluster on its own loopback addresses (127.0.0.2–4), named to
 * Freshet by one address only: topics are provisioned at replication 3
 * with min.insync.replicas=2, `deno task start` runs every consumer, and a
 * broker SIGKILLed mid-load loses no acknowledged message: every one is
 * materialised exactly once, producer and consumer carry on without a
 * restart, and the broker rejoins the ISR when it comes back.
 */
import assert from "node:assert/strict";
import { consumerRunFlags } from "../../shared/consumer/workers.ts";
import { createKafka, withAdmin } from "../../shared/kafka/client.ts";
import { sinkEntry } from "../fixtures/sink_consumer.ts";
import { randomName, terminate, waitFor } from "../helpers.ts";
import { launch } from "../launched.ts";
import { spawnLocalCluster } from "../local_cluster_helpers.ts";
import { produceAcked, sinkRows, size } from "./chaos.ts";

const PORT = 39392;
const HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
const TOTAL = size(20_000, 100_000);

Deno.test(`chaos - 3-node cluster: provisioned and served from one address; a broker killed mid-load of ${TOTAL} loses nothing`, async (t) => {
  const clusterDir = await Deno.makeTempDir({ prefix: "freshet-chaos-cluster-" });
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-chaos-data-" });
  const cluster = spawnLocalCluster({
    dataDir: clusterDir,
    basePort: PORT,
    brokers: 3,
    firstHost: HOSTS[0],
  });
  const brokers = HOSTS.map((h) => `${h}:${PORT}`);
  const env = { KAFKA_BROKERS: brokers[0], DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0" };
  const kafka = createKafka({
    brokers: [brokers[0]],
    local: true,
    clientId: "chaos-cluster",
    sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
  });
  try {
    const ready = (await cluster.readLine("READY ", 180_000)).slice(6).split(",");
    assert.deepEqual(ready, brokers);

    await t.step(
      "deno task topics, given one address: replication 3, min.insync.replicas 2",
      async () => {
        const topics = await launch("topics", { env });
        assert.equal((await topics.status).code, 0, topics.output());
        await withAdmin(kafka, async (admin) => {
          const meta = await admin.fetchTopicMetadata({ topics: ["orders.created"] });
          for (const p of meta.topics[0].partitions) assert.equal(p.replicas.length, 3);
          const configs = await admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: 2, name: "orders.created", configNames: ["min.insync.replicas"] }],
          });
          assert.equal(configs.resources[0].configEntries[0].configValue, "2");
        });
      },
    );

    await t.step("deno task start, given one address: every consumer running", async () => {
      const server = await launch("start", { env });
      try {
        await server.waitForOutput(/Freshet is running at (http:\S+) \(consumers: /, 120_000);
        const url = server.output().match(/Freshet is running at (http:\S+) \(consumers:/)![1];
        let health: { status: string; consumers: { name: string; state: string }[] } | undefined;
        await waitFor("every consumer running", async () => {
          const response = await fetch(`${url}/health`);
          health = await response.json();
          return response.status === 200 && health!.consumers.length >= 5 &&
            health!.consumers.every((c) => c.state === "running");
        }, 120_000);
        assert.equal(health!.status, "ok");
      } finally {
        assert.equal((await server.stop()).code, 0, server.output().slice(-2000));
      }
    });

    await t.step(
      "a broker SIGKILLed mid-load, then restarted: nothing lost or doubled",
      async () => {
        const topic = randomName("chaos");
        await withAdmin(kafka, (admin) =>
          admin.createTopics({
            waitForLeaders: true,
            topics: [
              { topic, numPartitions: 3, replicationFactor: 3 },
              { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 3 },
            ],
          }));
        const sinkDir = `${dataDir}/load`;
        const consumer = new Deno.Command("deno", {
          args: [
            "run",
            ...consumerRunFlags(sinkEntry, { dataDir: sinkDir, brokers }),
            sinkEntry.url.pathname,
          ],
          env: {
            KAFKA_BROKERS: brokers[0],
            SINK_TOPIC: topic,
            SINK_GROUP: randomName("g"),
            DATA_DIR: sinkDir,
            LOG_LEVEL: "error",
            CONSUMER_SESSION_TIMEOUT_MS: "6000",
          },
          stdout: "null",
          stderr: "inherit",
        }).spawn();
        try {
          const load = produceAcked(kafka, topic, { total: TOTAL, batch: 250 });
          await waitFor("30 % acknowledged", () => load.acked.size >= TOTAL * 0.3, 120_000);
          await cluster.send("kill 2");
          await cluster.readLine("KILLED 2", 60_000);
          const atKill = load.acked.size;
          const killedAt = Date.now();
          await waitFor(
            "the load goes on without broker 2",
            () => load.acked.size >= atKill + 2_000 || load.acked.size === TOTAL,
            120_000,
          );
          console.log(
            `CHAOS cluster: 2,000 more acknowledged ${Date.now() - killedAt} ms after the kill`,
          );
          await cluster.send("start 2");
          await cluster.readLine("STARTED 2", 60_000);
          const restartedAt = Date.now();
          await load.done;
          assert.equal(load.acked.size, TOTAL, "every message acknowledged");
          await waitFor(`${TOTAL} rows`, () => sinkRows(sinkDir).rows >= TOTAL, 240_000);
          await new Promise((r) => setTimeout(r, 500));
          assert.deepEqual(sinkRows(sinkDir), { rows: TOTAL, distinct: TOTAL });
          await waitFor(
            "broker 2 back in every ISR",
            async () =>
              await withAdmin(kafka, async (admin) => {
                const meta = await admin.fetchTopicMetadata({ topics: [topic] });
                return meta.topics[0].partitions.every((p) => p.isr.length === 3);
              }),
            120_000,
          );
          console.log(
            `CHAOS cluster: broker 2 in every ISR ${Date.now() - restartedAt} ms after it listened`,
          );
        } finally {
          // If it already ended, its status says how; a stop that hangs is killed.
          const status = await terminate(consumer);
          assert.deepEqual(
            { code: status.code, killed: status.killed },
            { code: 0, killed: false },
            "the consumer was never restarted and stops cleanly on SIGTERM",
          );
        }
      },
    );
  } finally {
    await cluster.kill();
    await Deno.remove(clusterDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
