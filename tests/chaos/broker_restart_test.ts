/**
 * A single broker SIGKILLed and restarted under a running `deno task
 * start`: `/health` is red (503, broker down) while it is gone and green
 * again after, the consumers resume by themselves, and every acknowledged
 * demand is in the doctor's database once.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createKafka } from "../../shared/kafka/client.ts";
import { waitFor } from "../helpers.ts";
import { launch } from "../launched.ts";
import { spawnLocalCluster } from "../local_cluster_helpers.ts";
import { produceAcked, size } from "./chaos.ts";

const HOST = "127.0.0.5";
const PORT = 39492;
const TOTAL = size(5_000, 50_000);

function doctorRows(dataDir: string): { rows: number; distinct: number } {
  try {
    const db = new DatabaseSync(`${dataDir}/doctor-house/doctor-house.db`, { readOnly: true });
    try {
      const r = db.prepare("SELECT count(*) AS c, count(DISTINCT id) AS d FROM demands").get()!;
      return { rows: Number(r.c), distinct: Number(r.d) };
    } finally {
      db.close();
    }
  } catch {
    return { rows: 0, distinct: 0 };
  }
}

async function health(url: string): Promise<{ code: number; status: string }> {
  try {
    const response = await fetch(`${url}/health`);
    return { code: response.status, status: (await response.json()).status };
  } catch {
    return { code: 0, status: "unreachable" };
  }
}

Deno.test(`chaos - the broker SIGKILLed and restarted under deno task start, mid-load of ${TOTAL} demands: /health red then green, nothing lost`, async () => {
  const clusterDir = await Deno.makeTempDir({ prefix: "freshet-chaos-broker-" });
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-chaos-data-" });
  const cluster = spawnLocalCluster({
    dataDir: clusterDir,
    basePort: PORT,
    brokers: 1,
    firstHost: HOST,
  });
  const broker = `${HOST}:${PORT}`;
  const env = { KAFKA_BROKERS: broker, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0" };
  const kafka = createKafka({
    brokers: [broker],
    local: true,
    clientId: "chaos-broker",
    sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
  });
  let server: Awaited<ReturnType<typeof launch>> | undefined;
  try {
    await cluster.readLine("READY ", 120_000);
    const topics = await launch("topics", { env });
    assert.equal((await topics.status).code, 0, topics.output());
    server = await launch("start", { env });
    await server.waitForOutput(/Freshet is running at (http:\S+) \(consumers: /, 120_000);
    const url = server.output().match(/Freshet is running at (http:\S+) \(consumers:/)![1];
    await waitFor("health green", async () => (await health(url)).code === 200, 60_000);

    const load = produceAcked(kafka, "demands.created", {
      total: TOTAL,
      batch: 100,
      paceMs: 20,
      message: (n) => ({
        key: `d-${n}`,
        value: JSON.stringify({
          id: `d-${n}`,
          type: "emergency",
          location: { lat: -22.9, lng: -43.2 },
          metadata: { priority: "high" },
        }),
      }),
    });
    await waitFor("a third acknowledged", () => load.acked.size >= TOTAL / 3, 120_000);
    await cluster.send("kill 1");
    await cluster.readLine("KILLED 1", 30_000);
    const killedAt = Date.now();
    await waitFor("health red while the broker is down", async () => {
      const h = await health(url);
      return h.code === 503 && h.status === "down";
    }, 30_000);
    console.log(`CHAOS broker down: /health red after ${Date.now() - killedAt} ms`);
    await new Promise((r) => setTimeout(r, 3_000)); // down for a while, not a blip
    await cluster.send("start 1");
    await cluster.readLine("STARTED 1", 90_000);
    const restartedAt = Date.now();
    await load.done;
    assert.equal(load.acked.size, TOTAL, "every demand acknowledged (the producer retried)");
    await waitFor(
      `${TOTAL} demands in the doctor's database`,
      () => doctorRows(dataDir).rows >= TOTAL,
      180_000,
    );
    await waitFor(
      "health green again, every consumer back",
      async () => (await health(url)).code === 200,
      120_000,
    );
    console.log(
      `CHAOS broker back: /health green ${Date.now() - restartedAt} ms after it listened`,
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(doctorRows(dataDir), { rows: TOTAL, distinct: TOTAL });
  } finally {
    if (server) assert.equal((await server.stop()).code, 0, server.output().slice(-3000));
    await cluster.kill();
    await Deno.remove(clusterDir, { recursive: true }).catch(() => {});
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
