/**
 * The monitor's pages and JSON API in process, on a real monitor's data:
 * topic totals match what was produced, series stay within the point
 * budget, a group's rows match between page and API, bad input answers in
 * the web kernel's error shape, /metrics exports lag per group and partition.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { MAX_POINTS, RANGES } from "../services/monitor/range.ts";
import type { GroupDetail, TopicsReport } from "../services/monitor/web/types.ts";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";

Deno.test("monitor web - pages and API show what the monitor counted and sampled", async (t) => {
  const fx = await monitorFixture("mon-web");
  const { app, shutdown } = await createWorldApp(fx, { auth: testAuth() });
  let consumer: Consumer | undefined;
  const get = (path: string) => app.fetch(new Request(`http://127.0.0.1:8000${path}`));
  try {
    const topic = await fx.createTopic("orders", 3);
    const dlq = await fx.createTopic("orders.dlq", 1);
    await produce(
      fx.kafka,
      topic,
      Array.from({ length: 120 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    await produce(fx.kafka, dlq, [{ key: "<b>bad</b>", value: "<script>alert(1)</script>" }]);
    const group = `${fx.prefix}<b>readers</b>`;
    consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await consumer.run({
      autoCommitInterval: 200,
      eachMessage: () => Promise.resolve(void seen++),
    });
    await waitFor("the consumer read everything", () => seen === 120, 30_000);
    await consumer.stop();

    const monitor = fx.monitor();
    await monitor.start();
    await waitFor("counted", () => {
      const counted = countedPerTopic(fx.dataDir);
      return counted.get(topic) === 120 && counted.get(dlq) === 1;
    }, 30_000);
    await waitFor("the group sampled", async () => {
      const res = await get(`/api/groups/${encodeURIComponent(group)}`);
      await res.body?.cancel();
      return res.ok;
    }, 20_000);

    await t.step("topics API: totals, rates, at most the point budget per series", async () => {
      for (const range of Object.keys(RANGES)) {
        const res = await get(`/api/monitor/topics?range=${range}`);
        assert.equal(res.status, 200);
        const body = await res.json() as TopicsReport;
        const orders = body.topics.find((x) => x.topic === topic)!;
        assert.equal(orders.messages, 120, range);
        assert.ok(orders.series.length <= MAX_POINTS, `${range}: ${orders.series.length} points`);
        assert.equal(body.topics.find((x) => x.topic === dlq)?.deadLetters, true);
      }
      const res = await get("/api/monitor/topics?range=15m");
      const body = await res.json() as TopicsReport;
      const orders = body.topics.find((x) => x.topic === topic)!;
      const counted = orders.series.reduce((sum, [at, rate]) => {
        const span = Math.min(body.step, Math.max(body.sampleMs, body.to - at));
        return sum + Number(rate) * span / 1_000;
      }, 0);
      assert.ok(Math.abs(counted - 120) < 1, `the series hold the 120 messages (${counted})`);
    });

    await t.step("bad input: 400 in the kernel's error shape; unknown group: 404", async () => {
      const bad = await get("/api/monitor/topics?range=2h");
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), {
        error: { status: 400, message: "range must be one of 15m, 1h, 6h, 24h, 7d" },
      });
      const missing = await get("/api/groups/no-such-group");
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).error.status, 404);
      const page = await get("/groups/no-such-group");
      assert.equal(page.status, 404);
      await page.body?.cancel();
    });

    await t.step("the console's topic list shows the monitor's current rate", async () => {
      // A current rate is the newest bucket's: traffic of its own, flowing now (the 120 above
      // may be a bucket ago on a loaded machine, and so may a burst sent before the monitor
      // took the new topic in), and read again if a bucket ended between the page and the API.
      const rated = await fx.createTopic("rated", 1);
      const send = () =>
        produce(fx.kafka, rated, Array.from({ length: 30 }, (_, i) => ({ value: `r${i}` })));
      let last = "";
      for (let attempt = 0; attempt < 5; attempt++) {
        const rateNow = async () =>
          (await (await get("/api/monitor/topics?range=15m")).json() as TopicsReport).topics
            .find((x) => x.topic === rated)?.rate ?? 0;
        let sentAt = 0;
        await waitFor("a current rate for the topic", async () => {
          if (Date.now() - sentAt >= 1_000) {
            await send();
            sentAt = Date.now();
          }
          return await rateNow() > 0;
        }, 30_000);
        const html = await (await app.fetch(
          new Request(`http://127.0.0.1:8000/console/topics?q=${encodeURIComponent(rated)}`, {
            headers: basic("viewer"),
          }),
        )).text();
        const row = html.match(
          new RegExp(`<tr data-topic="${escapeRe(escapeHtml(rated))}".*?</tr>`, "s"),
        )?.[0];
        assert.ok(row, html.slice(0, 500));
        const rate = await rateNow();
        const shown = Number(row.match(/<td class="num">([\d.]+)\/s<\/td>/)?.[1]);
        last = `page ${shown}/s, API ${rate}/s`;
        // The rate is over the last samples ending now: it drifts a little between the two reads.
        if (rate > 0 && Math.abs(shown - rate) <= rate * 0.1) return;
      }
      assert.fail(`the page never showed the API's current rate: ${last}`);
    });

    await t.step("group API and page: the same partition rows", async () => {
      const detail = await (await get(`/api/groups/${encodeURIComponent(group)}?range=15m`))
        .json() as GroupDetail;
      assert.equal(detail.group, group);
      assert.equal(detail.state, "Empty");
      assert.deepEqual(detail.partitions.map((p) => [p.partition, p.lag]), [[0, 0], [1, 0], [
        2,
        0,
      ]]);
      assert.equal(detail.partitions.reduce((s, p) => s + p.committed, 0), 120);
      const html = await (await get(`/groups/${encodeURIComponent(group)}`)).text();
      for (const p of detail.partitions) {
        assert.match(
          html,
          new RegExp(`data-partition="${escapeRe(escapeHtml(`${p.topic}:${p.partition}`))}"`),
        );
      }
      const list = await (await get("/api/groups")).json() as { groups: { group: string }[] };
      assert.ok(list.groups.some((g) => g.group === group));
    });

    await t.step("pages render hostile names as text", async () => {
      for (const path of ["/monitor", "/monitor?range=7d", "/groups"]) {
        const res = await get(path);
        assert.equal(res.status, 200, path);
        const html = await res.text();
        assert.ok(!html.includes("<b>"), `${path}: no raw markup`);
        assert.ok(!html.includes("<script>alert(1)"), `${path}: no raw script`);
      }
      const html = await (await get("/monitor")).text();
      assert.match(html, /&lt;b>readers&lt;\/b>|&lt;b&gt;readers&lt;\/b&gt;/, "the group, escaped");
    });

    await t.step("/metrics: lag in messages and seconds per group and partition", async () => {
      const text = await (await get("/metrics")).text();
      const labels = `group="${group}",topic="${topic}",partition="1"`; // no quote to escape
      assert.ok(text.includes(`freshet_group_lag{${labels}} 0`), text.slice(0, 500));
      assert.ok(text.includes(`freshet_group_lag_seconds{${labels}} 0`));
      assert.ok(text.includes(`freshet_group_status{group="${group}"} 0`));
    });
  } finally {
    await consumer?.disconnect();
    shutdown();
    await fx.close();
  }
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
