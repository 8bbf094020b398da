/**
 * The console's risky page actions ask once, saying what will happen,
 * against the real broker: an offset reset previews (partitions, messages
 * read again) and only its confirmation commits; deleting a group shows
 * the offsets that go and needs the group's name back; "Redrive all"
 * counts the dead letters and their targets and its confirmation sends
 * exactly those. The JSON API keeps acting at once, as documented.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { adminKafka, createTopics, produce, randomName } from "./helpers.ts";
import { basic, logIn, testAuth } from "./auth_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const ORIGIN = "http://127.0.0.1";

Deno.test("console confirm - reset, delete group and redrive all ask once with what happens", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("t-confirm");
  const dlq = `${topic}.dlq`;
  const groupId = randomName("t-confirm-group");
  const dropTopics = await createTopics(kafka, [
    { topic, numPartitions: 3 },
    { topic: dlq, numPartitions: 1 },
  ]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-confirm-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  const session = await logIn(app, "operator");
  const post = async (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ _csrf: session.csrfToken });
    for (const [name, value] of Object.entries(fields)) {
      for (const v of [value].flat()) body.append(name, v);
    }
    const res = await app.fetch(
      new Request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { cookie: session.cookie },
        body,
      }),
    );
    return { status: res.status, location: res.headers.get("location"), html: await res.text() };
  };
  const get = async (path: string) =>
    await (await app.fetch(new Request(`${ORIGIN}${path}`, { headers: basic("operator") })))
      .text();
  const committed = () =>
    withAdmin(kafka, async (admin) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    });
  const topicEnd = () =>
    withAdmin(
      kafka,
      async (admin) =>
        (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0),
    );
  /** The hidden fields of the form inside `section#id` (the confirmation's). */
  const hiddenFields = (html: string, id: string) => {
    const section = html.match(new RegExp(`<section[^>]*id="${id}".*?</section>`, "s"))?.[0];
    assert.ok(section, `section #${id}`);
    const fields: [string, string][] = [];
    for (
      const m of section.matchAll(/<input\s+type="hidden"\s+name="([^"]+)"\s+value="([^"]*)"/g)
    ) {
      if (m[1] !== "_csrf") fields.push([m[1], m[2]]);
    }
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of fields) {
      out[name] = name in out ? [out[name] as string, value].flat() : value;
    }
    return out;
  };
  const groupPage = `/console/groups/${encodeURIComponent(groupId)}`;
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: "v" })),
    );
    await withAdmin(kafka, async (admin) => {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
      });
    });
    assert.equal(await committed(), 30);

    await t.step("the reset form defaults to the group's own topic", async () => {
      const html = await get(groupPage);
      const own = html.match(/<optgroup label="This group&#39;s topics">(.*?)<\/optgroup>/s)?.[1] ??
        html.match(/<optgroup label="This group's topics">(.*?)<\/optgroup>/s)?.[1];
      assert.ok(own, "the group's topics first");
      assert.match(own, new RegExp(`<option\\s+value="${topic}" selected`));
      assert.equal([...html.matchAll(/<option[^>]* selected>/g)].length, 1);
      assert.match(html, /Preview the reset/);
      assert.doesNotMatch(html, /name="dryRun" value="0"/, "no one-click reset");
    });

    await t.step("a reset posted without confirm is a preview; nothing moves", async () => {
      const preview = await post(groupPage, { intent: "reset", topic, to: "earliest", by: "7" });
      assert.equal(preview.status, 200);
      assert.match(preview.html, /<section[^>]*id="reset-confirm"[^>]*data-moved="3"/);
      assert.match(preview.html, /read 30 message\(s\) again/);
      assert.match(preview.html, /Reset 3 partition\(s\) of /);
      assert.equal(await committed(), 30, "nothing committed by the preview");
      const fields = hiddenFields(preview.html, "reset-confirm");
      assert.deepEqual(
        fields,
        { intent: "reset", confirm: "1", topic, to: "earliest" },
        "only the mode's fields",
      );
      const old = await post(groupPage, { intent: "reset", topic, to: "earliest", dryRun: "0" });
      assert.equal(old.status, 200, "the old one-click reset is a preview too");
      assert.equal(await committed(), 30);
      const done = await post(groupPage, fields);
      assert.equal(done.status, 303);
      assert.equal(await committed(), 0, "the confirmation reset it");
    });

    await t.step("a shift previews skipped messages; its confirmation carries `by`", async () => {
      const preview = await post(groupPage, { intent: "reset", topic, to: "shift", by: "2" });
      assert.match(preview.html, /skip 6 message\(s\)/);
      const fields = hiddenFields(preview.html, "reset-confirm");
      assert.equal(fields.by, "2");
      assert.equal(fields.timestamp, undefined);
    });

    await t.step("deleting the group asks with its offsets, then needs its name", async () => {
      const asked = await post(groupPage, { intent: "delete" });
      assert.equal(asked.status, 200);
      assert.match(asked.html, /<h2 id="delete-group-title">Delete /);
      assert.match(asked.html, /its committed offsets on 3 partition\(s\)/);
      assert.match(
        asked.html,
        new RegExp(`data-topic="${topic}"[^>]*>.*?3 partition\\(s\\), lag 30`, "s"),
      );
      const wrong = await post(groupPage, { intent: "delete", confirm: "other-group" });
      assert.equal(wrong.status, 400);
      assert.match(wrong.html, /confirm names other-group/);
      const { groups } = await withAdmin(kafka, (admin) => admin.listGroups());
      assert.ok(groups.some((g) => g.groupId === groupId), "still there");
      const done = await post(groupPage, hiddenFields(asked.html, "delete"));
      assert.equal(done.status, 303);
      const after = await withAdmin(kafka, (admin) => admin.listGroups());
      assert.ok(!after.groups.some((g) => g.groupId === groupId), "deleted");
    });

    const letter = (i: number) => ({
      key: `dead-${i}`,
      value: `v${i}`,
      headers: {
        [DLQ_HEADERS.error]: "boom",
        [DLQ_HEADERS.code]: "TEST",
        [DLQ_HEADERS.topic]: topic,
        [DLQ_HEADERS.partition]: "0",
        [DLQ_HEADERS.offset]: String(i),
      },
    });
    const dlqPage = `/console/dlq/${encodeURIComponent(dlq)}`;

    await t.step("redrive all shows the count and targets, and sends nothing", async () => {
      await produce(kafka, dlq, [0, 1, 2].map(letter));
      const once = await post(dlqPage, { messages: "0:0" });
      assert.equal(once.status, 303, "one redriven before, with a selection");
      const before = await topicEnd();
      const asked = await post(dlqPage, { all: "1" });
      assert.equal(asked.status, 200);
      assert.match(asked.html, /<section[^>]*id="redrive-confirm"[^>]*data-count="2"/);
      assert.match(
        asked.html,
        new RegExp(`data-target="${topic}"[^>]*>.*?<td class="num">2</td>`, "s"),
      );
      assert.match(asked.html, /data-skipped="1"/);
      assert.match(asked.html, /already redriven at/);
      assert.equal(await topicEnd(), before, "nothing sent by the plan");

      await produce(kafka, dlq, [letter(3)]);
      const done = await post(dlqPage, hiddenFields(asked.html, "redrive-confirm"));
      assert.equal(done.status, 303);
      assert.match(done.location ?? "", /redriven=2&skipped=1&failed=0/);
      assert.equal(await topicEnd(), before + 2, "exactly the two counted");
      const again = await post(dlqPage, { all: "1" });
      assert.match(
        again.html,
        /data-count="1"/,
        "the one that came later waits for its own confirmation",
      );
    });

    await t.step("the dead letters list as rows that open, one open when alone", async () => {
      const html = await get(dlqPage);
      const rows = [...html.matchAll(/<details class="message"[^>]*>/g)].map((m) => m[0]);
      assert.equal(rows.length, 4);
      assert.ok(rows.every((row) => !/\sopen[\s>]/.test(row)), "closed rows");
      const alone = await get(`${dlqPage}?key=dead-3`);
      assert.match(alone, /<details class="message"[^>]*\sopen[\s>]/, "the only one, open");
    });

    await t.step("a filtered redrive all counts only the matches", async () => {
      const asked = await post(`${dlqPage}?key=dead-3`, { all: "1", key: "dead-3" });
      assert.match(asked.html, /data-count="1"/);
      assert.match(asked.html, /matching key &quot;dead-3&quot;|matching key "dead-3"/);
      const fields = hiddenFields(asked.html, "redrive-confirm");
      assert.equal(fields.key, "dead-3");
    });

    await t.step("the JSON API: dryRun plans, and all still acts at once", async () => {
      const call = async (body: unknown) => {
        const res = await app.fetch(
          new Request(`${ORIGIN}/api/dlq/${dlq}/redrive`, {
            method: "POST",
            headers: { ...basic("operator"), "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        );
        return { status: res.status, body: await res.json() };
      };
      const plan = await call({ all: true, dryRun: true });
      assert.equal(plan.status, 200);
      assert.equal(plan.body.count, 1);
      assert.deepEqual(plan.body.targets, [{ topic, count: 1 }]);
      assert.deepEqual(plan.body.until, { 0: 4 });
      const bad = await call({ all: true, until: { 0: "x" } });
      assert.equal(bad.status, 400);
      const done = await call({ all: true });
      assert.equal(done.status, 200);
      assert.equal(done.body.redriven.length, 1);
    });
  } finally {
    shutdown();
    await dropTopics();
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId]).catch(() => {}));
    await Deno.remove(dataDir, { recursive: true });
  }
});
