/**
 * Offset resets and group deletion from the console against the real
 * broker: a dry-run preview, the refusal while the group has members, the
 * effect once it stopped (offset, shift, timestamp), the refusal for
 * Freshet's own consumers, roles, and the audit log.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const ORIGIN = "http://127.0.0.1";

Deno.test("console groups - reset offsets: preview, refusal while active, effect; delete", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("t-console-reset");
  const groupId = randomName("t-console-group");
  const dropTopic = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-groups-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  let consumer: Consumer | undefined;
  const post = (user: "viewer" | "operator", path: string, body: unknown) =>
    app.fetch(
      new Request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { ...basic(user), "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  const reset = (body: Record<string, unknown>, user: "viewer" | "operator" = "operator") =>
    post(user, `/api/groups/${groupId}/offsets`, { topic, ...body });
  const committed = () =>
    withAdmin(kafka, async (admin) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets.partitions.sort((a, b) => a.partition - b.partition).map((p) =>
        Number(p.offset)
      );
    });
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 30 }, (_, i) => ({ key: null, value: `m${i}` })),
    );
    const ends = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
    const end = ends.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
    assert.equal(end.reduce((a, b) => a + b, 0), 30);

    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommitInterval: 100, eachMessage: async () => {} });
    await waitFor("the group to commit the end offsets", async () => {
      return JSON.stringify(await committed()) === JSON.stringify(end);
    });

    await t.step("a viewer may not reset offsets", async () => {
      const response = await reset({ to: "earliest", dryRun: true }, "viewer");
      assert.equal(response.status, 403);
      await response.body?.cancel();
    });

    await t.step("a dry run previews old → new while the group runs", async () => {
      const response = await reset({ to: "earliest", dryRun: true });
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.dryRun, true);
      assert.deepEqual(
        body.changes.map((c: { partition: number; from: number; to: number }) => [
          c.partition,
          c.from,
          c.to,
        ]),
        end.map((e, p) => [p, e, 0]),
      );
      assert.deepEqual(await committed(), end, "a preview changes nothing");
    });

    await t.step("a reset is refused while the group has members", async () => {
      const response = await reset({ to: "earliest" });
      const body = await response.json();
      assert.equal(response.status, 409);
      assert.match(body.error.message, /active member\(s\).*stop its consumers first/);
      assert.deepEqual(await committed(), end);
    });

    await consumer.disconnect();
    consumer = undefined;
    await waitFor("the group to be empty", () =>
      withAdmin(kafka, async (admin) => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0].state === "Empty";
      }));

    await t.step("once stopped: an offset on one partition, clamped to its range", async () => {
      const response = await reset({ to: "offset", partition: 1, offset: 2 });
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(await committed(), [end[0], 2, end[2]]);
      const clamped = await (await reset({ to: "offset", partition: 0, offset: 9999 })).json();
      assert.equal(clamped.changes[0].to, end[0]);
      assert.match(clamped.changes[0].note, /clamped/);
    });

    await t.step("shift by N on every partition", async () => {
      const response = await reset({ to: "shift", by: -1 });
      assert.equal(response.status, 200);
      await response.body?.cancel();
      assert.deepEqual(await committed(), [end[0] - 1, 1, end[2] - 1]);
    });

    await t.step("a timestamp before every message is the earliest offset", async () => {
      const response = await reset({ to: "timestamp", timestamp: "2000-01-01T00:00:00Z" });
      assert.equal(response.status, 200);
      await response.body?.cancel();
      assert.deepEqual(await committed(), [0, 0, 0]);
    });

    await t.step("latest", async () => {
      const response = await reset({ to: "latest" });
      assert.equal(response.status, 200);
      await response.body?.cancel();
      assert.deepEqual(await committed(), end);
    });

    await t.step("bad input lists its problems", async () => {
      const response = await reset({ to: "sideways", partition: -1 });
      const body = await response.json();
      assert.equal(response.status, 400);
      assert.equal(body.error.problems.length, 2);
    });

    await t.step("Freshet's own consumers are refused with their replay instead", async () => {
      const response = await post("operator", "/api/groups/balances-service/offsets", {
        topic: "contas",
        to: "earliest",
        dryRun: true,
      });
      const body = await response.json();
      assert.equal(response.status, 409);
      assert.match(body.error.message, /SQLite/);
      assert.match(body.error.message, /consumer:balances --rebuild/);
    });

    await t.step("an empty group is deleted", async () => {
      const response = await post("operator", `/api/groups/${groupId}/delete`, {});
      assert.equal(response.status, 200, await response.clone().text());
      await response.body?.cancel();
      const { groups } = await withAdmin(kafka, (admin) => admin.describeGroups([groupId]));
      assert.equal(groups[0].state, "Dead");
    });

    await t.step("the audit log has the previews, refusals and resets", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit?action=group&limit=20`, { headers: basic("viewer") }),
      );
      const { entries } = await response.json();
      const seen = entries.reverse().map((e: { action: string; user: string; result: string }) =>
        `${e.action} ${e.user} ${e.result}`
      );
      assert.deepEqual(seen, [
        "group.offsets.reset viewer refused",
        "group.offsets.reset operator dry-run",
        "group.offsets.reset operator refused",
        "group.offsets.reset operator ok",
        "group.offsets.reset operator ok",
        "group.offsets.reset operator ok",
        "group.offsets.reset operator ok",
        "group.offsets.reset operator ok",
        "group.offsets.reset operator refused",
        "group.delete operator ok",
      ]);
    });
  } finally {
    await consumer?.disconnect();
    shutdown();
    await dropTopic();
    await Deno.remove(dataDir, { recursive: true });
  }
});
