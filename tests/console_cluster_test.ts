/**
 * The cluster overview (`GET /api/cluster`, `/console/cluster`) on a real
 * 3-node cluster of its own (127.0.0.51–53), as the console's principal
 * with its kafka-acls.txt rules: every broker up with its address, release
 * and log directories; the topics' sizes on every broker; then, with one
 * broker stopped, exactly the partitions Kafka's own `kafka-topics
 * --describe --under-replicated-partitions` (and `--under-min-isr-
 * partitions`) lists, that broker shown down, each partition linking its
 * topic on the page; and the topic list and a topic's page answering with
 * the partition only that broker held shown offline.
 */
import assert from "node:assert/strict";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { readAclsFile } from "../shared/provision/acls_file.ts";
import { createBindings } from "../shared/provision/apply_acls.ts";
import { PRINCIPALS } from "../freshet.ts";
import type { ClusterOverview } from "../services/console/cluster/cluster_overview.ts";
import { produce, randomName, runDeno, waitFor } from "./helpers.ts";
import { spawnLocalCluster } from "./local_cluster_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";

const BASE_PORT = 39792;
const HOSTS = ["127.0.0.51", "127.0.0.52", "127.0.0.53"];

/** `topic:partition` of each line `kafka-topics --describe` printed for a partition. */
function partitionsListed(output: string): string[] {
  return [...output.matchAll(/Topic: (\S+)\s+Partition: (\d+)/g)].map((m) => `${m[1]}:${m[2]}`)
    .sort();
}

Deno.test("console cluster - the overview on 3 brokers, then with one stopped, matches kafka-topics", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-overview-" });
  const cluster = spawnLocalCluster({
    dataDir,
    basePort: BASE_PORT,
    brokers: 3,
    firstHost: HOSTS[0],
  });
  let shutdown: (() => void) | undefined;
  try {
    const brokers = (await cluster.readLine("READY ", 180_000)).slice(6).split(",");
    const env = { KAFKA_BROKERS: brokers.join(",") };
    const kafka = createKafka({
      brokers,
      local: true,
      clientId: "overview-test",
      sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
    });
    const [wide, strict, single] = [randomName("wide"), randomName("strict"), randomName("single")];
    await withAdmin(kafka, async (admin) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: wide,
            numPartitions: 3,
            replicationFactor: 3,
            configEntries: [{ name: "min.insync.replicas", value: "2" }],
          },
          {
            topic: strict,
            numPartitions: 2,
            replicationFactor: 3,
            configEntries: [{ name: "min.insync.replicas", value: "3" }],
          },
          // On broker 3 alone: offline once it stops.
          { topic: single, replicaAssignment: [{ partition: 0, replicas: [3] }] },
        ],
      });
      // The console as kafka-acls.txt makes it, nothing more.
      const rules = await readAclsFile("kafka-acls.txt", { principals: PRINCIPALS });
      await createBindings(admin, rules.filter((r) => r.principal === "console"));
    });
    await produce(
      kafka,
      wide,
      Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: "x".repeat(200) })),
    );
    const world = await createWorldApp({ dataDir, prefix: "" }, {
      env,
      consoleEnv: env,
      auth: testAuth(),
    });
    shutdown = world.shutdown;
    const overview = async (): Promise<ClusterOverview> => {
      const res = await world.app.fetch(
        new Request("http://127.0.0.1/api/cluster?fresh=1", { headers: basic("viewer") }),
      );
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      return body;
    };
    const kafkaTopics = async (flag: string) => {
      const run = await runDeno(["task", "kafka:cli", "kafka-topics", "--describe", flag], {
        env,
      });
      assert.equal(run.code, 0, `kafka-topics ${flag}: ${run.stdout}\n${run.stderr}`);
      return partitionsListed(run.stdout);
    };
    const listed = (o: ClusterOverview, list: "underReplicated" | "underMinIsr" | "offline") =>
      o.partitions[list].map((p) => `${p.topic}:${p.partition}`).sort();

    await t.step("three brokers up: addresses, release, controller, log directories", async () => {
      const o = await overview();
      assert.deepEqual(o.brokers.map((b) => [b.id, b.address, b.state]), [
        [1, brokers[0], "up"],
        [2, brokers[1], "up"],
        [3, brokers[2], "up"],
      ]);
      assert.deepEqual(o.kafka.releases, ["4.3"]);
      assert.equal(o.kafka.metadataVersion, "4.3-IV0");
      assert.ok([1, 2, 3].includes(o.controller!), `controller ${o.controller}`);
      assert.equal(o.quorum?.voters.length, 3);
      for (const b of o.brokers) {
        assert.equal(b.problem, null, `broker ${b.id}: ${b.problem}`);
        assert.equal(b.logDirs.length, 1);
        assert.ok(b.logDirs[0].totalBytes! > b.logDirs[0].usableBytes!, "the volume's size");
      }
      const wideSize = o.topics.find((t) => t.topic === wide)!;
      assert.deepEqual(Object.keys(wideSize.byBroker).sort(), ["1", "2", "3"]);
      for (const bytes of Object.values(wideSize.byBroker)) {
        assert.ok(bytes > 60 * 200, `each replica holds the records: ${bytes}`);
      }
      assert.equal(o.topics.find((t) => t.topic === single)!.partitions, 1);
      assert.deepEqual(
        listed(o, "underReplicated"),
        await kafkaTopics("--under-replicated-partitions"),
      );
      assert.deepEqual(listed(o, "underReplicated"), []);
    });

    await t.step(
      "broker 3 stopped: the same partitions as kafka-topics lists, broker 3 down",
      async () => {
        await cluster.send("stop 3");
        await cluster.readLine("STOPPED 3", 90_000);
        let expected: string[] = [];
        await waitFor("kafka-topics lists the partitions broker 3 held", async () => {
          expected = await kafkaTopics("--under-replicated-partitions");
          return expected.some((p) => p.startsWith(`${wide}:`));
        }, 60_000);
        const o = await overview();
        assert.deepEqual(listed(o, "underReplicated"), expected);
        assert.ok(expected.length >= 5, `every partition of the two RF 3 topics: ${expected}`);
        assert.deepEqual(listed(o, "underMinIsr"), await kafkaTopics("--under-min-isr-partitions"));
        assert.deepEqual(
          listed(o, "underMinIsr").filter((p) => p.startsWith(`${strict}:`)),
          [`${strict}:0`, `${strict}:1`],
          "min.insync.replicas=3 with 2 replicas in sync",
        );
        assert.deepEqual(listed(o, "offline"), await kafkaTopics("--unavailable-partitions"));
        assert.deepEqual(listed(o, "offline"), [`${single}:0`], "the topic only broker 3 held");
        const three = o.brokers.find((b) => b.id === 3)!;
        assert.equal(three.state, "down");
        assert.match(three.problem ?? "", /not in the cluster's metadata/);

        const page = await world.app.fetch(
          new Request("http://127.0.0.1/console/cluster", { headers: basic("viewer") }),
        );
        const html = await page.text();
        assert.equal(page.status, 200);
        for (const p of expected.filter((p) => p.startsWith(`${wide}:`))) {
          const [topic, partition] = p.split(":");
          assert.ok(html.includes(`data-partition="${p}"`), `row of ${p}`);
          assert.ok(html.includes(`href="/console/topics/${topic}"`), `links ${topic}`);
          assert.ok(partition !== undefined);
        }
        assert.match(html, /data-broker="3" data-state="down"/);

        // The topic list and the topic's page: the partition shown offline, not a 502.
        const get = async (path: string) => {
          const res = await world.app.fetch(
            new Request(`http://127.0.0.1${path}`, { headers: basic("viewer") }),
          );
          return { status: res.status, text: await res.text() };
        };
        const list = await get("/api/topics");
        assert.equal(list.status, 200, list.text);
        const rows = JSON.parse(list.text).topics as { name: string; offlinePartitions: number }[];
        assert.equal(rows.find((r) => r.name === single)?.offlinePartitions, 1);
        assert.equal(rows.find((r) => r.name === wide)?.offlinePartitions, 0);
        const listPage = await get("/console/topics");
        assert.equal(listPage.status, 200, listPage.text.slice(0, 500));
        assert.match(listPage.text, /1 offline/);
        const detail = await get(`/api/topics/${single}`);
        assert.equal(detail.status, 200, detail.text);
        assert.deepEqual(
          JSON.parse(detail.text).partitions.map((p: { leader: number; leaderless: boolean }) => [
            p.leader,
            p.leaderless,
          ]),
          [[-1, true]],
        );
        const topicPage = await get(`/console/topics/${single}`);
        assert.equal(topicPage.status, 200, topicPage.text.slice(0, 500));
        assert.match(topicPage.text, /none: offline/);
        const widePage = await get(`/api/topics/${wide}`);
        assert.equal(widePage.status, 200, widePage.text);
        assert.equal(JSON.parse(widePage.text).messages, 60, "the other topics read as before");

        console.log(
          `overview = kafka-topics: ${expected.length} under-replicated, ` +
            `${listed(o, "underMinIsr").length} under min ISR, ${
              listed(o, "offline").length
            } offline`,
        );
      },
    );
  } finally {
    shutdown?.();
    await cluster.stop().catch(() => cluster.kill());
    await cluster.kill();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
