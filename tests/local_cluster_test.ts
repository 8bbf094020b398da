/**
 * The local cluster runner: `--brokers 3` gives a real replicated cluster
 * on loopback that survives the loss of a broker, with a SASL_SSL listener
 * on each node's own address, and killing the process that started it
 * (SIGKILL) leaves no broker running.
 */
import assert from "node:assert/strict";
import { isListening } from "../kafka/local_cluster.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import { spawnLocalCluster } from "./local_cluster_helpers.ts";

const BASE_PORT = 39092;
const HOSTS = ["127.0.0.6", "127.0.0.7", "127.0.0.8"];

Deno.test("local cluster - 3 brokers replicate, survive a broker's loss, and die with their starter", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-cluster-" });
  const cluster = spawnLocalCluster({
    dataDir,
    basePort: BASE_PORT,
    brokers: 3,
    firstHost: HOSTS[0],
  });
  try {
    const brokers = (await cluster.readLine("READY ", 150_000)).slice(6).split(",");
    assert.deepEqual(brokers, HOSTS.map((h) => `${h}:${BASE_PORT}`), "distinct loopback hosts");
    const [tlsBrokers, caFile] = (await cluster.readLine("TLS ", 5_000)).slice(4).split(" ");
    assert.deepEqual(tlsBrokers.split(","), HOSTS.map((h) => `${h}:${BASE_PORT + 1}`));
    assert.equal(caFile, `${dataDir}/tls/ca.pem`);
    const kafka = createKafka({
      brokers,
      local: true,
      clientId: "cluster-test",
      sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
    });
    const topic = randomName("replicated");
    await withAdmin(kafka, async (admin) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{
          topic,
          numPartitions: 3,
          replicationFactor: 3,
          configEntries: [{ name: "min.insync.replicas", value: "2" }],
        }],
      });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      for (const p of meta.topics[0].partitions) assert.equal(p.replicas.length, 3);
    });
    await produce(
      kafka,
      topic,
      Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );

    await cluster.send("stop 2");
    await cluster.readLine("STOPPED 2", 60_000);
    assert.equal(await isListening(BASE_PORT, HOSTS[1]), false, "broker 2 is down");
    // acks=all with min.insync.replicas=2 still succeeds on the 2 brokers left.
    await produce(
      kafka,
      topic,
      Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `w${i}` })),
    );
    const { messages, complete } = await readRange(kafka, {
      groupId: randomName("reader"),
      topics: [topic],
      from: "earliest",
      timeoutMs: 30_000,
    });
    assert.ok(complete);
    assert.equal(messages.length, 200);

    // Over TLS, named by one node: every node's own address is in its certificate.
    const tls = createKafka({
      brokers: [tlsBrokers.split(",")[0]],
      local: true,
      clientId: "cluster-tls-test",
      sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
      ssl: { ca: await Deno.readTextFile(caFile), rejectUnauthorized: true },
    });
    const advertised = await withAdmin(tls, (admin) => admin.describeCluster());
    assert.deepEqual(
      advertised.brokers.map((b) => `${b.host}:${b.port}`).sort(),
      [HOSTS[0], HOSTS[2]].map((h) => `${h}:${BASE_PORT + 1}`),
      "the nodes left advertise their TLS listeners",
    );
    await produce(
      tls,
      topic,
      Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `t${i}` })),
    );
    const overTls = await readRange(tls, {
      groupId: randomName("reader"),
      topics: [topic],
      from: "earliest",
      timeoutMs: 30_000,
    });
    assert.ok(overTls.complete);
    assert.equal(overTls.messages.length, 230);

    cluster.child.kill("SIGKILL");
    await cluster.child.status;
    await waitFor(
      "no broker listening after the starter was killed",
      async () =>
        !(await isListening(BASE_PORT, HOSTS[0])) && !(await isListening(BASE_PORT, HOSTS[2])),
      45_000,
    );
  } finally {
    await cluster.kill();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
