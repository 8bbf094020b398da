/**
 * Passwords changed after the first start reach SCRAM at the next start,
 * without wiping the cluster: the data survives, the new password logs in
 * (on both listeners), the old one no longer does, the record keeps no
 * password in clear, and the TLS certificates are the same.
 */
import assert from "node:assert/strict";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { produce, randomName } from "./helpers.ts";
import { defaultPasswords, spawnLocalCluster } from "./local_cluster_helpers.ts";

// Below Linux's ephemeral range (32768–60999), controller (+20000) included: this cluster listens on
// 127.0.0.1, the source address of every loopback client, so a port in that range can be held by
// some test's outgoing connection when the broker restarts ("Unable to start acceptor", seen once
// in a clean-clone run with three lanes at once). The other clusters listen on 127.0.0.2 and up.
const BASE_PORT = 12192;
const BROKERS = [`127.0.0.1:${BASE_PORT}`];

/** A client of the cluster; with `ca`, over its SASL_SSL listener. */
function client(username: string, password: string, ca?: string) {
  return createKafka(
    {
      brokers: ca ? [`127.0.0.1:${BASE_PORT + 1}`] : BROKERS,
      local: true,
      clientId: "passwords-test",
      sasl: { mechanism: "scram-sha-256", username, password },
      ssl: ca ? { ca, rejectUnauthorized: true } : undefined,
    },
    { retries: 0, connectionTimeoutMs: 3_000, quiet: true },
  );
}

/** Whether `username` can authenticate with SCRAM (no ACL is needed to connect). */
async function scramLogin(username: string, password: string, ca?: string): Promise<boolean> {
  const admin = client(username, password, ca).admin();
  try {
    await admin.connect();
    return true;
  } catch (error) {
    if ((error as Error).name === "KafkaJSSASLAuthenticationError") return false;
    throw error;
  } finally {
    await admin.disconnect();
  }
}

Deno.test("local cluster - a changed password reaches SCRAM at the next start, data kept", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-passwords-" });
  const topic = randomName("kept");
  let [caFile, ca, broker] = ["", "", ""];
  const first = spawnLocalCluster({
    dataDir,
    basePort: BASE_PORT,
    brokers: 1,
    firstHost: "127.0.0.1",
  });
  try {
    await first.readLine("READY ", 120_000);
    caFile = (await first.readLine("TLS ", 5_000)).split(" ")[2];
    ca = await Deno.readTextFile(caFile);
    broker = await Deno.readTextFile(caFile.replace(/ca\.pem$/, "broker.pem"));
    assert.equal(await scramLogin("doctor", "doctor-secret"), true);
    const admin = client("admin", "admin-secret");
    await withAdmin(admin, (a) => a.createTopics({ waitForLeaders: true, topics: [{ topic }] }));
    await produce(admin, topic, [{ key: "k", value: "before the change" }]);
    await first.stop();
  } finally {
    await first.kill();
  }

  const rotated = { ...defaultPasswords(), admin: "admin-rotated", doctor: "doctor-rotated" };
  const second = spawnLocalCluster({
    dataDir,
    basePort: BASE_PORT,
    brokers: 1,
    firstHost: "127.0.0.1",
    passwords: rotated,
  });
  try {
    await second.readLine("READY ", 120_000);
    assert.equal(await Deno.readTextFile(caFile), ca, "the CA is kept across restarts");
    assert.equal(
      await Deno.readTextFile(caFile.replace(/ca\.pem$/, "broker.pem")),
      broker,
      "and so is the broker's certificate",
    );
    assert.equal(await scramLogin("doctor", "doctor-rotated"), true, "new doctor password");
    assert.equal(
      await scramLogin("doctor", "doctor-rotated", ca),
      true,
      "over TLS (port + 1) too",
    );
    assert.equal(await scramLogin("doctor", "doctor-secret"), false, "old doctor password");
    assert.equal(await scramLogin("admin", "admin-secret"), false, "old admin password");
    assert.equal(await scramLogin("web", "web-secret"), true, "unchanged password");
    const { messages, complete } = await readRange(client("admin", "admin-rotated"), {
      groupId: randomName("reader"),
      topics: [topic],
      from: "earliest",
      timeoutMs: 20_000,
    });
    assert.ok(complete);
    assert.deepEqual(messages.map((m) => new TextDecoder().decode(m.value!)), [
      "before the change",
    ]);
    const record = await Deno.readTextFile(`${dataDir}/scram-users.json`);
    for (const password of Object.values(rotated)) assert.ok(!record.includes(password));
  } finally {
    await second.kill();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
