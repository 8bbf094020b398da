/**
 * The alerts' broker-loss rules on a real 3-node cluster of our own
 * (127.0.0.61–63): a broker stopped makes the `broker` rule fire for it and
 * the `partitions` rule fire for the under-replicated partitions and for
 * the offline one (a topic on that broker alone) — each once, at a real
 * webhook receiver — and all resolve once when it is back. The cluster is
 * never unreachable meanwhile (the other brokers answer; a partition
 * without a leader does not fail the metadata read).
 */
import assert from "node:assert/strict";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { createBindings, DEFAULT_ACLS_FILE, readAclsFile } from "../shared/provision/mod.ts";
import { PRINCIPALS } from "../freshet.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import { spawnLocalCluster } from "./local_cluster_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { testAuth } from "./auth_helpers.ts";
import { consoleCaller } from "./console_helpers.ts";
import { counts, webhookReceiver } from "./alerts_helpers.ts";

const BASE_PORT = 39892;
const FIRST_HOST = "127.0.0.61";

Deno.test({
  name:
    "alerts - a broker of a 3-node cluster stopped: broker and partitions fire once, resolve once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-alerts-cluster-" });
    const cluster = spawnLocalCluster({
      dataDir,
      basePort: BASE_PORT,
      brokers: 3,
      firstHost: FIRST_HOST,
    });
    const receiver = webhookReceiver();
    let shutdown = () => {};
    try {
      const brokers = (await cluster.readLine("READY ", 240_000)).slice(6).split(",");
      const admin = createKafka({
        brokers,
        local: true,
        clientId: "alerts-cluster-test",
        sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
      });
      const topic = randomName("replicated");
      const lonely = randomName("lonely");
      // The alerts read metadata as `monitor`: its bindings of kafka-acls.txt, on this cluster.
      const bindings = (await readAclsFile(DEFAULT_ACLS_FILE, { principals: PRINCIPALS }))
        .filter((b) => b.principal === "monitor")
        .map(({ line: _line, ...b }) => b);
      await withAdmin(admin, async (a) => {
        await createBindings(a, bindings);
        await a.createTopics({
          waitForLeaders: true,
          topics: [
            { topic, numPartitions: 3, replicationFactor: 3 },
            // On broker 2 alone: offline while it is stopped.
            { topic: lonely, replicaAssignment: [{ partition: 0, replicas: [2] }] },
          ],
        });
      });
      await produce(
        admin,
        topic,
        Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: "v" })),
      );
      const world = await createWorldApp({ dataDir: `${dataDir}/app`, prefix: "" }, {
        auth: testAuth(),
        alerts: {
          evaluate: true,
          intervalMs: 1_000,
          rulesText: "parts partitions for=2s repeat=0\nbrokers broker for=3s repeat=0",
          env: { KAFKA_BROKERS: brokers.join(","), FRESHET_ALERT_WEBHOOK_URL: receiver.url() },
          delivery: { pollMs: 50, backoffMs: () => 300 },
        },
      });
      shutdown = world.shutdown;
      const call = consoleCaller(world.app);
      const lines = () => counts(receiver.lines());

      await t.step("all three brokers in: every rule ok, nothing sent", async () => {
        await waitFor("an evaluation that saw the cluster", async () => {
          const { body } = await call("viewer", "GET", "/api/alerts");
          return body.last && !("error" in body.last) && body.last.unknown.length === 0;
        }, 60_000);
        await new Promise((r) => setTimeout(r, 4_000));
        const { body } = await call("viewer", "GET", "/api/alerts");
        assert.deepEqual(body.rules.map((r: { state: string }) => r.state), ["ok", "ok"]);
        assert.deepEqual(receiver.received, []);
      });

      await t.step(
        "broker 2 stopped: `broker 2`, `under-replicated` and `offline` fire once each",
        async () => {
          await cluster.send("stop 2");
          await cluster.readLine("STOPPED 2", 90_000);
          await waitFor("both fired", () => {
            const l = lines();
            return l["firing brokers broker 2"] === 1 &&
              l["firing parts under-replicated"] === 1 && l["firing parts offline"] === 1;
          }, 120_000);
          const offline = receiver.received.find((r) =>
            r.body.rule === "parts" && r.body.instance === "offline"
          )!.body;
          assert.match(
            offline.summary,
            new RegExp(`1 offline partition\\(s\\) in .*${lonely} \\(0\\)`),
          );
          const fired = receiver.received.find((r) =>
            r.body.rule === "parts" && r.body.instance === "under-replicated"
          )!.body;
          assert.match(
            fired.summary,
            new RegExp(`under-replicated partition\\(s\\) in .*${topic}`),
          );
          assert.equal(fired.severity, "warning");
        },
      );

      await t.step(
        "broker 2 back: all resolve once; the cluster never went unreachable",
        async () => {
          await cluster.send("start 2");
          await cluster.readLine("STARTED 2", 120_000);
          await waitFor("both resolved", () => {
            const l = lines();
            return l["resolved brokers broker 2"] === 1 &&
              l["resolved parts under-replicated"] === 1 && l["resolved parts offline"] === 1;
          }, 180_000);
          await new Promise((r) =>
            setTimeout(r, 3_000)
          );
          assert.deepEqual(lines(), {
            "firing brokers broker 2": 1,
            "firing parts offline": 1,
            "firing parts under-replicated": 1,
            "resolved brokers broker 2": 1,
            "resolved parts offline": 1,
            "resolved parts under-replicated": 1,
          });
        },
      );
    } finally {
      shutdown();
      await receiver.close();
      await cluster.kill();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
