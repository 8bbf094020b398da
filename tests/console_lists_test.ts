/**
 * Lists that grow are paged and filtered, in process on the real broker
 * and a real monitor: the console's topics, groups and dead-letter topics,
 * and the monitor's `/groups` (by group or topic name, and by status).
 * 51 topics and 51 groups under a random prefix, so each list has pages.
 */
import assert from "node:assert/strict";
import { createCluster } from "../shared/kafka/wire/kafka_cluster.ts";
import { commitOffsets } from "../services/console/groups/reset_offsets.ts";
import { createTopics, waitFor } from "./helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";

const N = 51;

Deno.test("console lists - topics, groups, dead letters and /groups paged and filtered", async (t) => {
  const fx = await monitorFixture("lists");
  const { app, shutdown } = await createWorldApp(fx, { auth: testAuth() });
  const pad = (i: number) => String(i).padStart(2, "0");
  const topics = Array.from({ length: N }, (_, i) => fx.topic(`t-${pad(i)}.dlq`));
  const groups = Array.from({ length: N }, (_, i) => fx.topic(`g-${pad(i)}`));
  const page = async (path: string) => {
    const res = await app.fetch(
      new Request(`http://127.0.0.1${path}`, { headers: basic("viewer") }),
    );
    const html = await res.text();
    assert.equal(res.status, 200, html.slice(0, 300));
    return html;
  };
  const rows = (html: string, attribute: string) =>
    [...html.matchAll(new RegExp(`<tr[^>]*${attribute}="([^"]+)"`, "g"))].map((m) => m[1]);
  const pager = (html: string) => {
    const m = html.match(/<nav class="pager"[^>]*data-page="(\d+)" data-total="(\d+)"/);
    assert.ok(m, "a pager");
    return { page: Number(m[1]), total: Number(m[2]) };
  };
  const q = encodeURIComponent(fx.topic("t-"));
  const qGroups = encodeURIComponent(fx.topic("g-"));
  try {
    await createTopics(fx.kafka, topics.map((topic) => ({ topic })));
    // One OffsetCommit per group, as the console's reset does (KafkaJS's setOffsets joins each group).
    const cluster = createCluster(fx.kafka);
    await cluster.connect();
    try {
      await Promise.all(groups.map((groupId, i) =>
        commitOffsets(cluster, groupId, [
          { topic: topics[i % 3], partition: 0, from: null, to: 0, start: 0, end: 0 },
        ])
      ));
      for (const topic of topics.slice(3, 7)) {
        await commitOffsets(cluster, groups[50], [
          { topic, partition: 0, from: null, to: 0, start: 0, end: 0 },
        ]);
      }
    } finally {
      await cluster.disconnect();
    }

    await t.step("/console/topics: 50 a page, the filter kept in the links", async () => {
      const first = await page(`/console/topics?q=${q}`);
      assert.deepEqual(rows(first, "data-topic"), topics.slice(0, 50));
      assert.deepEqual(pager(first), { page: 1, total: N });
      assert.match(first, new RegExp(`href="/console/topics\\?q=${q}&amp;page=2" rel="next"`));
      const second = await page(`/console/topics?q=${q}&page=2`);
      assert.deepEqual(rows(second, "data-topic"), topics.slice(50));
    });

    await t.step("/console/groups: 50 a page", async () => {
      const first = await page(`/console/groups?q=${qGroups}`);
      assert.deepEqual(rows(first, "data-group"), groups.slice(0, 50));
      assert.deepEqual(pager(first), { page: 1, total: N });
      const last = await page(`/console/groups?q=${qGroups}&page=9`);
      assert.deepEqual(rows(last, "data-group"), groups.slice(50), "past the end: the last page");
    });

    await t.step("/console/dlq: a filter, 20 topics a page", async () => {
      const first = await page(`/console/dlq?q=${q}`);
      assert.equal(rows(first, "data-topic").length, 20);
      assert.deepEqual(pager(first), { page: 1, total: N });
      const third = await page(`/console/dlq?q=${q}&page=3`);
      assert.deepEqual(rows(third, "data-topic").sort(), topics.slice(40).sort());
      const none = await page(`/console/dlq?q=${q}no-such`);
      assert.equal(rows(none, "data-topic").length, 0);
      assert.match(none, /No dead-letter topic\./);
    });

    const monitor = fx.monitor();
    await monitor.start();
    await waitFor("the monitor sampled every group", async () => {
      const res = await app.fetch(new Request("http://127.0.0.1/api/groups"));
      const body = await res.json() as { groups: { group: string }[] };
      return groups.every((g) => body.groups.some((x) => x.group === g));
    }, 60_000);

    await t.step("/groups: a filter by group or topic name, 50 a page", async () => {
      const first = await page(`/groups?q=${qGroups}`);
      assert.equal(rows(first, "data-group").length, 50);
      assert.deepEqual(pager(first), { page: 1, total: N });
      const second = await page(`/groups?q=${qGroups}&page=2`);
      assert.equal(rows(second, "data-group").length, 1);
      const one = await page(`/groups?q=${encodeURIComponent(groups[7])}`);
      assert.deepEqual(rows(one, "data-group"), [groups[7]]);
      const byTopic = await page(`/groups?q=${encodeURIComponent(topics[1])}`);
      assert.deepEqual(
        rows(byTopic, "data-group").filter((g) => !g.startsWith("monitor-")).sort(),
        groups.filter((_, i) => i % 3 === 1).sort(),
        "the groups reading that topic (and the monitor's own)",
      );
      const busy = await page(`/groups?q=${encodeURIComponent(groups[50])}`);
      assert.match(
        busy.match(/data-field="topics">([^<]*)</)?.[1] ?? "",
        /^[^,]+, [^,]+, [^,]+ \+2 more$/,
        "a group of 5 topics names 3",
      );
      const none = await page(`/groups?q=${qGroups}zz-none`);
      assert.match(none, /No group matches\./);
      assert.match(none, /<a href="\/groups">Clear<\/a>/);
    });

    await t.step("/groups: status=problems leaves out the groups that are OK", async () => {
      const all = await (await app.fetch(new Request("http://127.0.0.1/api/groups"))).json() as {
        groups: { group: string; status: string }[];
      };
      const notOk = all.groups.filter((g) => g.status !== "OK").map((g) => g.group);
      const html = await page("/groups?status=problems");
      const shown = rows(html, "data-group");
      assert.ok(shown.every((g) => notOk.includes(g)), `only those not OK: ${shown}`);
      assert.ok(!shown.some((g) => groups.includes(g)), "ours are OK (lag 0)");
      assert.match(html, /<option value="problems" selected>/);
    });
  } finally {
    shutdown();
    await fx.close();
  }
});
