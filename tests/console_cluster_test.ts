/**
 * The cluster overview (`GET /api/cluster`, `/console/cluster`) on a real
 * 3-node cluster of its own (127.0.0.51–53), as the console's principal
 * with its kafka-acls.txt rules: every broker up with its address, release
 * and log directories; the topics' sizes on every broker; then, with one
 * broker stopped, exactly the partitions Kafka's own `kafka-topics
 * --describe --under-replicated-partitions` (and `--under-min-isr-
 * partitions`) lists, that broker shown down, each partition linking its
 * topic on the page; and the topic list and a topic's page answering with
 * the partition only that broker held shown offline; a group's page, an
 * offset reset, a purge and a produce naming the offline partition (503
 * for what would touch it, the other partition served) instead of a 502.
 */
import assert from "node:assert/strict";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { readAclsFile } from "../shared/provision/acls_file.ts";
import { createBindings } from "../shared/provision/apply_acls.ts";
import { PRINCIPALS } from "../freshet.ts";
import type { ClusterOverview } from "../services/console/cluster/cluster_overview.ts";
import { keyPartition } from "../shared/kafka/key_partition.ts";
import { produce, randomName, runDeno, waitFor } from "./helpers.ts";
import { spawnLocalCluster } from "./local_cluster_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { type ConsoleCall, consoleCaller } from "./console_helpers.ts";

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
    // Partition 0 on broker 3 alone, partition 1 on broker 1: half offline once broker 3 stops.
    const [mixed, group] = [randomName("mixed"), randomName("mixed-group")];
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
          {
            topic: mixed,
            replicaAssignment: [{ partition: 0, replicas: [3] }, { partition: 1, replicas: [1] }],
          },
        ],
      });
      await admin.setOffsets({
        groupId: group,
        topic: mixed,
        partitions: [{ partition: 0, offset: "2" }, { partition: 1, offset: "2" }],
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
    await produce(
      kafka,
      mixed,
      Array.from({ length: 10 }, (_, i) => ({ key: `m${i}`, value: "m", partition: i % 2 })),
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

    const api = consoleCaller(world.app);
    /** An API call as `user`: its status, and its JSON answer as text (for messages to match). */
    const call = async (...args: Parameters<ConsoleCall>) => {
      const answer = await api(...args);
      return { status: answer.status, text: JSON.stringify(answer.body) };
    };
    /** With `mixed` partition 0 offline: what touches it is refused, saying why; partition 1 works. */
    const offlineActions = async () => {
      const offline = /partition 0 has no leader \(offline: the brokers holding it are down\)/;
      const pageAnswer = await world.app.fetch(
        new Request(`http://127.0.0.1/console/groups/${group}`, { headers: basic("viewer") }),
      );
      const page = { status: pageAnswer.status, text: await pageAnswer.text() };
      assert.equal(page.status, 200, page.text.slice(0, 500));
      assert.match(page.text, new RegExp(`data-partition="${mixed}:0" data-offline=""`));
      assert.match(page.text, /offline: no leader/);
      const members = await call("viewer", "GET", `/api/groups/${group}/members`);
      assert.equal(members.status, 200, members.text);

      const reset = (body: Record<string, unknown>) =>
        call("operator", "POST", `/api/groups/${group}/offsets`, { topic: mixed, ...body });
      for (const body of [{ to: "earliest" }, { partition: 0, to: "latest" }]) {
        const refused = await reset({ ...body, dryRun: true });
        assert.equal(refused.status, 503, `reset ${JSON.stringify(body)}: ${refused.text}`);
        assert.match(refused.text, /resetting offsets: .* partition 0 has no leader/);
      }
      const moved = await reset({ partition: 1, to: "latest" });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(
        JSON.parse(moved.text).changes.map((c: { partition: number; from: number; to: number }) => [
          c.partition,
          c.from,
          c.to,
        ]),
        [[1, 2, 5]],
      );

      const purge = (body: Record<string, unknown>) =>
        call("operator", "POST", `/api/topics/${mixed}/purge`, { confirm: mixed, ...body });
      for (const body of [{ before: "end" }, { partition: 0, before: "end" }]) {
        const refused = await purge(body);
        assert.equal(refused.status, 503, `purge ${JSON.stringify(body)}: ${refused.text}`);
        assert.match(refused.text, /purging: .* partition 0 has no leader/);
      }
      const purged = await purge({ partition: 1, before: "offset", offset: 1 });
      assert.equal(purged.status, 200, purged.text);
      assert.equal(JSON.parse(purged.text).deleted, 1);

      const started = Date.now();
      const refused = await call("operator", "POST", `/api/topics/${mixed}/messages`, {
        value: "v",
        partition: 0,
      });
      assert.equal(refused.status, 503, refused.text);
      assert.match(refused.text, offline);
      assert.ok(Date.now() - started < 5_000, "said at once, not after the producer's retries");
      const produced = await call("operator", "POST", `/api/topics/${mixed}/messages`, {
        value: "v",
        partition: 1,
      });
      assert.equal(produced.status, 201, produced.text);
      // A key hashing to the offline partition: refused at once too; one hashing to the other, sent.
      const keyTo = (partition: number) =>
        Array.from({ length: 50 }, (_, i) => `key-${i}`).find((k) =>
          keyPartition(k, 2) === partition
        )!;
      const keyed = Date.now();
      const refusedKey = await call("operator", "POST", `/api/topics/${mixed}/messages`, {
        key: keyTo(0),
        value: "v",
      });
      assert.equal(refusedKey.status, 503, refusedKey.text);
      assert.match(refusedKey.text, /the key hashes to partition 0, which has no leader/);
      assert.ok(Date.now() - keyed < 5_000, "said at once");
      const sentKey = await call("operator", "POST", `/api/topics/${mixed}/messages`, {
        key: keyTo(1),
        value: "v",
      });
      assert.equal(sentKey.status, 201, sentKey.text);
      assert.equal(JSON.parse(sentKey.text).partition, 1);
    };

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
        assert.deepEqual(
          listed(o, "offline"),
          [`${mixed}:0`, `${single}:0`].sort(),
          "the partitions only broker 3 held",
        );
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

        await offlineActions();
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
