/**
 * KIP-848 groups in the console: a Java console consumer started with
 * `group.protocol=consumer` (Kafka's own tool through `deno task
 * kafka:cli`) is shown by GET /api/groups/:group/members and the group
 * pages with its type, state, epochs and assignment — where KafkaJS's
 * DescribeGroups sees a Dead group with no member — an offset reset is
 * refused while it runs, and after it stops the group is Empty. A classic
 * group still reads as before, its members' assignments included.
 */
import assert from "node:assert/strict";
import { basic, testAuth } from "./auth_helpers.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

/** `deno task kafka:cli` as a child process that keeps running. */
function spawnKafkaCli(args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: ["task", "kafka:cli", ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

Deno.test({
  name: "console groups - a Java consumer on the KIP-848 protocol is shown with its assignment",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("kip848");
    const group = randomName("kip848-group");
    const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-kip848-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const get = async (path: string) => {
      const res = await app.fetch(
        new Request(`http://127.0.0.1${path}`, { headers: basic("viewer") }),
      );
      return { status: res.status, text: await res.text() };
    };
    const members = async () => {
      const { status, text } = await get(`/api/groups/${group}/members`);
      return status === 200 ? JSON.parse(text) : undefined;
    };
    await produce(kafka, topic, [0, 1, 2, 3, 4, 5].map((n) => ({ key: `k${n}`, value: `v${n}` })));
    const java = spawnKafkaCli([
      "kafka-console-consumer",
      "--topic",
      topic,
      "--group",
      group,
      "--from-beginning",
      "--consumer-property",
      "group.protocol=consumer",
    ]);
    try {
      await t.step("the member, its epoch and its assignment of all 3 partitions", async () => {
        // deno-lint-ignore no-explicit-any
        let described: any;
        await waitFor("the Java member with its assignment", async () => {
          described = await members();
          return described?.members?.[0]?.assignment?.[0]?.partitions?.length === 3;
        }, 60_000);
        assert.equal(described.type, "consumer");
        assert.equal(described.protocolType, "consumer");
        assert.equal(described.state, "Stable");
        assert.ok(described.groupEpoch >= 1);
        assert.equal(described.assignmentEpoch, described.groupEpoch);
        assert.equal(described.protocol, "uniform", "the broker's default assignor");
        assert.equal(described.members.length, 1);
        const [m] = described.members;
        assert.equal(m.clientId, "console-consumer");
        assert.ok(m.memberEpoch >= 1);
        assert.deepEqual(m.subscribedTopics, [topic]);
        assert.deepEqual(m.assignment, [{ topic, partitions: [0, 1, 2] }]);
        assert.deepEqual(m.targetAssignment, [{ topic, partitions: [0, 1, 2] }]);
      });

      await t.step("KafkaJS's DescribeGroups alone sees it as Dead with no member", async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const [d] = (await admin.describeGroups([group])).groups;
          assert.equal(d.state, "Dead");
          assert.equal(d.members.length, 0);
        } finally {
          await admin.disconnect();
        }
      });

      await t.step("the console's pages show the type, epochs and assignment", async () => {
        const page = await get(`/console/groups/${group}`);
        assert.equal(page.status, 200);
        assert.match(page.text, /Consumer protocol \(KIP-848\)/);
        assert.match(page.text, /group epoch <strong>\d+<\/strong>/);
        assert.match(page.text, new RegExp(`${topic}: 0, 1, 2`));
        assert.match(page.text, /console-consumer/);
        const list = await get(`/console/groups?q=${group}`);
        assert.match(list.text, /data-group-type="consumer"/);
        assert.match(list.text, /consumer \(KIP-848\)/);
      });

      await t.step("an offset reset is refused while the member runs", async () => {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/groups/${group}/offsets`, {
            method: "POST",
            headers: { ...basic("operator"), "content-type": "application/json" },
            body: JSON.stringify({ topic, to: "earliest" }),
          }),
        );
        assert.equal(res.status, 409, await res.text());
      });

      await t.step(
        "after the consumer stops, the group is Empty, still a consumer group",
        async () => {
          java.kill("SIGTERM");
          await java.status;
          await waitFor(
            "the group to empty",
            async () => (await members())?.state === "Empty",
            60_000,
          );
          const described = await members();
          assert.equal(described.type, "consumer");
          assert.deepEqual(described.members, []);
        },
      );
    } finally {
      try {
        java.kill("SIGKILL");
      } catch {
        // already ended
      }
      await java.status;
      await java.stderr.cancel().catch(() => {});
      shutdown();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([group]).catch(() => {});
      await admin.disconnect();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "console groups - a classic group reads as classic, with each member's assignment",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kafka = adminKafka();
    const topic = randomName("classic");
    const group = randomName("classic-group");
    const drop = await createTopics(kafka, [{ topic, numPartitions: 2 }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-classic-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      // deno-lint-ignore no-explicit-any
      let described: any;
      await waitFor("the classic member", async () => {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/groups/${group}/members`, { headers: basic("viewer") }),
        );
        described = res.status === 200 ? await res.json() : undefined;
        return described?.state === "Stable" && described.members.length === 1;
      }, 30_000);
      assert.equal(described.type, "classic");
      assert.equal(described.protocolType, "consumer");
      assert.deepEqual(described.members[0].assignment, [{ topic, partitions: [0, 1] }]);
      assert.equal(described.members[0].memberEpoch, undefined);
    } finally {
      await consumer.disconnect();
      shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
