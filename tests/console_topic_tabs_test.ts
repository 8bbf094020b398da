/**
 * A topic's console page in tabs, in process on a real monitor's data: the
 * overview with size on disk and the last hour's messages per second, the
 * consumers tab with each group's lag, the tab bar per role.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";

Deno.test("console topic tabs - overview, consumers with lag, tabs per role", async (t) => {
  const fx = await monitorFixture("topic-tabs");
  const { app, shutdown } = await createWorldApp(fx, { auth: testAuth() });
  let consumer: Consumer | undefined;
  const page = async (path: string, user: "viewer" | "operator" = "viewer") => {
    const res = await app.fetch(new Request(`http://127.0.0.1${path}`, { headers: basic(user) }));
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 400));
    return text;
  };
  try {
    const topic = await fx.createTopic("orders", 3);
    const message = (i: number) => ({ key: `k${i}`, value: `value ${i} ${"x".repeat(200)}` });
    await produce(fx.kafka, topic, Array.from({ length: 120 }, (_, i) => message(i)));
    const group = `${fx.prefix}readers`;
    consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await consumer.run({
      autoCommitInterval: 100,
      eachMessage: () => Promise.resolve(void seen++),
    });
    await waitFor("the group read everything", () => seen === 120, 30_000);
    await consumer.disconnect();
    consumer = undefined;
    await produce(fx.kafka, topic, Array.from({ length: 30 }, (_, i) => message(120 + i)));
    const monitor = fx.monitor();
    await monitor.start();
    await waitFor("counted", () => countedPerTopic(fx.dataDir).get(topic) === 150, 30_000);
    const here = `/console/topics/${encodeURIComponent(topic)}`;

    await t.step("overview: size on disk and the hour's messages per second", async () => {
      const html = await page(here);
      assert.match(html, /aria-current="page"[^>]*data-tab="overview"/);
      const peak = Number(html.match(/<figure class="throughput" data-peak="([\d.]+)"/)?.[1]);
      assert.ok(peak > 0, `the chart shows the traffic (peak ${peak})`);
      assert.match(html, /<polyline points="[\d., ]+"/);
      const disk = html.match(/<strong>([^<]+)<\/strong>\s*on disk/)?.[1];
      assert.match(disk ?? "", /^\d+(\.\d)? (B|KiB|MiB)$/, `size on disk: ${disk}`);
      assert.notEqual(disk, "0 B");
      assert.match(html, /<strong>150<\/strong> message\(s\)/);
      assert.match(html, /data-partition="2"/, "the partitions");
      assert.doesNotMatch(html, /data-config=/, "no configs on the overview");
    });

    await t.step("consumers: the groups reading it, with their lag", async () => {
      const html = await page(`${here}?tab=consumers`);
      assert.match(html, /aria-current="page"[^>]*data-tab="consumers"/);
      const row = html.match(new RegExp(`<tr[^>]*data-group="${group}"[^>]*>(.*?)</tr>`, "s"));
      assert.ok(row, "the group's row");
      const cells = [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]);
      assert.equal(cells[3], "30", `lag: ${cells}`);
      assert.match(
        html,
        /data-tab="consumers"[^>]*>Consumers<span class="tab-count">2</,
        "with the monitor's",
      );
      assert.doesNotMatch(html, /<figure class="throughput"/);
    });

    await t.step("tabs: a viewer has no produce tab; an unknown tab is the overview", async () => {
      const viewer = await page(`${here}?tab=produce`, "viewer");
      assert.doesNotMatch(viewer, /data-tab="produce"/);
      assert.doesNotMatch(viewer, /<section id="produce"/);
      const operator = await page(`${here}?tab=produce`, "operator");
      assert.match(operator, /aria-current="page"[^>]*data-tab="produce"/);
      assert.match(operator, /<section id="produce"/);
      const odd = await page(`${here}?tab=%3Cb%3E`);
      assert.match(odd, /aria-current="page"[^>]*data-tab="overview"/);
      for (const tab of ["messages", "tail"]) assert.match(odd, new RegExp(`data-tab="${tab}"`));
    });
  } finally {
    await consumer?.disconnect();
    shutdown();
    await fx.close();
  }
});
