/**
 * Dead letters and redrive against the real broker with the real doctor
 * consumer (services/demands/consumer.ts on the kernel runner): a demand the
 * doctor's database rejects is dead-lettered with its reason; GET /api/dlq
 * shows it; a viewer may not redrive; after the fix an operator redrives
 * it, it goes back to demands.created once (with the redrive headers) and
 * the doctor processes it as a normal message; a second redrive is
 * skipped unless repeated; "all matching a filter" redrives only the
 * matches; every attempt is in the audit log.
 */
import assert from "node:assert/strict";
import { DEMANDS_CREATED } from "../services/demands/demand.ts";
import { getDemand } from "../services/demands/doctor_db.ts";
import { REDRIVE_HEADERS } from "../services/console/dlq/dead_letter_info.ts";
import type { DlqTopicSummary } from "../services/console/dlq/dlq_view.ts";
import type { DeadLetterPage } from "../services/console/dlq/web/dlq_reads.ts";
import type { MessageJson } from "../services/console/messages/web/page_json.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { demandsWorld, startDoctor } from "./demands_helpers.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { createWorldApp } from "./prefixed_world.ts";

const demand = (id: string) =>
  JSON.stringify({
    id,
    type: "emergency",
    location: { lat: -22.9, lng: -43.2 },
    metadata: { priority: "high" },
  });

const REJECT = (ids: string) =>
  `CREATE TRIGGER reject_poison BEFORE INSERT ON demands WHEN NEW.id IN (${ids})
   BEGIN SELECT RAISE(ABORT, 'rejected by the test: poison demand'); END`;

Deno.test("console dlq - a dead letter of the doctor is redriven once after a fix, then processed", async (t) => {
  const world = await demandsWorld();
  const doctor = await startDoctor(world, `dlq-${crypto.randomUUID().slice(0, 6)}`);
  const { app, shutdown } = await createWorldApp(world, { auth: testAuth() });
  const created = world.topic(DEMANDS_CREATED);
  const dlq = `${created}.dlq`;
  const call = async (
    user: "viewer" | "operator",
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const res = await app.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method,
        headers: { ...basic(user), "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, body: await res.json() };
  };
  const deadLetters = async () =>
    (await call("viewer", "GET", `/api/dlq/${dlq}?limit=50`)).body as DeadLetterPage;
  const redrive = (body: unknown, user: "viewer" | "operator" = "operator") =>
    call(user, "POST", `/api/dlq/${dlq}/redrive`, body);
  try {
    doctor.db.exec(REJECT("'poison-1'"));
    await produce(world.kafka, created, [
      { key: "poison-1", value: demand("poison-1"), headers: { ce_id: "evt-poison-1" } },
      { key: "fine-1", value: demand("fine-1") },
    ]);
    let letter!: DlqTopicSummary["newest"][number];

    await t.step("the doctor dead-letters it with its reason; GET /api/dlq shows it", async () => {
      await waitFor("the dead letter", async () => {
        const { body } = await call("viewer", "GET", "/api/dlq");
        const topic = (body.topics as DlqTopicSummary[]).find((x) => x.topic === dlq);
        if (!topic || topic.count < 1) return false;
        letter = topic.newest[0];
        assert.equal(topic.originalTopic, created);
        return true;
      });
      assert.ok(getDemand(doctor.db, "fine-1"), "the next message was processed");
      assert.equal(getDemand(doctor.db, "poison-1"), undefined);
      assert.equal(letter.key?.text, "poison-1");
      assert.equal(letter.deadLetter.originalTopic, created);
      assert.equal(typeof letter.deadLetter.originalOffset, "number");
      assert.match(letter.deadLetter.error ?? "", /rejected by the test: poison demand/);
      assert.ok(letter.deadLetter.code);
      assert.ok(letter.deadLetter.failedAt);
      assert.equal(letter.redriven, null);
    });

    await t.step("a viewer may not redrive", async () => {
      const refused = await redrive({
        messages: [{ partition: letter.partition, offset: letter.offset }],
      }, "viewer");
      assert.equal(refused.status, 403);
    });

    let sentTo!: { partition: number; offset: number };
    await t.step("after the fix, an operator redrives it and the doctor processes it", async () => {
      doctor.db.exec("DROP TRIGGER reject_poison");
      const { status, body } = await redrive({
        messages: [{ partition: letter.partition, offset: letter.offset }],
      });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.redriven.length, 1);
      assert.deepEqual(body.skipped, []);
      sentTo = body.redriven[0].to;
      await waitFor(
        "the doctor to store the redriven demand",
        () => getDemand(doctor.db, "poison-1") !== undefined,
      );
      const row = getDemand(doctor.db, "poison-1")!;
      assert.equal(row.topic, created);
      assert.equal(row.partition, sentTo.partition);
      assert.equal(row.offset, sentTo.offset);
    });

    await t.step(
      "the message sent back carries its original and redrive headers, not the DLQ's",
      async () => {
        const { body } = await call(
          "viewer",
          "GET",
          `/api/topics/${created}/messages/${sentTo.partition}/${sentTo.offset}`,
        );
        const m = body as MessageJson;
        const headers = Object.fromEntries(m.headers.map((h) => [h.name, h.value?.text]));
        assert.equal(headers[REDRIVE_HEADERS.of], `${dlq}/${letter.partition}/${letter.offset}`);
        assert.equal(headers[REDRIVE_HEADERS.count], "1");
        assert.equal(headers[REDRIVE_HEADERS.by], "operator");
        assert.equal(headers.ce_id, "evt-poison-1", "the original event id is restored");
        assert.equal(Object.keys(headers).some((n) => n.startsWith("dlq_")), false);
        assert.equal(m.key?.text, "poison-1");
        assert.equal(JSON.parse(m.value!.text).id, "poison-1");
      },
    );

    await t.step(
      "it goes back once: a second redrive is skipped, a repeat sends it again",
      async () => {
        const again = await redrive({ messages: [`${letter.partition}:${letter.offset}`] });
        assert.equal(again.body.redriven.length, 0);
        assert.match(again.body.skipped[0].reason, /already redriven .* by operator/);
        const page = await deadLetters();
        assert.equal(page.messages[0].redriven?.state, "sent");
        assert.equal(page.messages[0].redriven?.sentOffset, sentTo.offset);
        const copies = await call(
          "viewer",
          "GET",
          `/api/topics/${created}/messages?header=${REDRIVE_HEADERS.of}&limit=50`,
        );
        assert.equal(copies.body.messages.length, 1, "one copy on the original topic");

        const repeated = await redrive({
          messages: [{ partition: letter.partition, offset: letter.offset }],
          repeat: true,
        });
        assert.equal(repeated.body.redriven.length, 1);
        assert.equal(repeated.body.redriven[0].redrive, 2);
      },
    );

    await t.step("all matching a filter redrives only the matches, each once", async () => {
      doctor.db.exec(REJECT("'poison-2', 'poison-3'"));
      await produce(world.kafka, created, [
        { key: "poison-2", value: demand("poison-2") },
        { key: "poison-3", value: demand("poison-3") },
      ]);
      await waitFor(
        "two more dead letters",
        async () => (await deadLetters()).messages.length === 3,
      );
      doctor.db.exec("DROP TRIGGER reject_poison");
      const only2 = await redrive({ all: true, value: '"id":"poison-2"' });
      assert.equal(only2.status, 200, JSON.stringify(only2.body));
      assert.deepEqual(only2.body.redriven.length, 1);
      assert.equal(only2.body.scanned.complete, true);
      const rest = await redrive({ all: true });
      assert.equal(rest.body.redriven.length, 1, "only poison-3 had not gone back");
      assert.equal(rest.body.skipped.length, 2);
      await waitFor(
        "both processed",
        () =>
          getDemand(doctor.db, "poison-2") !== undefined &&
          getDemand(doctor.db, "poison-3") !== undefined,
      );
      const bad = await redrive({ all: true, keyMatch: "regex" });
      assert.equal(bad.status, 400);
    });

    await t.step("the audit log has every redrive and the refusal", async () => {
      const { body } = await call("viewer", "GET", "/api/audit?action=dlq.redrive");
      const entries = body.entries as { user: string; result: string; target: string }[];
      assert.equal(entries.filter((e) => e.result === "ok").length, 5);
      assert.equal(entries.filter((e) => e.result === "refused" && e.user === "viewer").length, 1);
      assert.ok(entries.every((e) => e.target === `topic:${dlq}`));
    });
  } finally {
    shutdown();
    await doctor.stop();
    await world.close();
  }
});

Deno.test("console dlq - dead-letter topics deleted while the list is read: the list, never an error", async () => {
  // The list reads each dead-letter topic after listing them: a topic deleted in between
  // (another test, another team) made GET /api/dlq a 500.
  const kafka = adminKafka();
  const names = Array.from({ length: 12 }, () => `${randomName("t-dlq-vanish")}.dlq`);
  await createTopics(kafka, names.map((topic) => ({ topic, numPartitions: 2 })));
  for (const topic of names) await produce(kafka, topic, [{ key: "k", value: "dead" }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-dlq-vanish-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  const list = async () => {
    const res = await app.fetch(
      new Request("http://127.0.0.1/api/dlq", { headers: basic("viewer") }),
    );
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return (body.topics as DlqTopicSummary[]).map((t) => t.topic);
  };
  try {
    const before = await list();
    assert.deepEqual(names.filter((n) => !before.includes(n)), [], "all listed before");
    const deleting = withAdmin(kafka, async (admin) => {
      for (const topic of names) await admin.deleteTopics({ topics: [topic] });
    });
    let done = false;
    deleting.finally(() => (done = true));
    let lists = 0;
    while (!done || lists < 3) {
      await list();
      lists++;
    }
    await deleting;
    await waitFor(
      "the deleted dead-letter topics gone from the list",
      async () => !(await list()).some((t) => names.includes(t)),
      10_000,
    );
  } finally {
    shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
