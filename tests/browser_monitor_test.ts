/**
 * The monitor's pages in headless Chromium against the real broker: on
 * /monitor the traffic chart gets new points after producing (without a
 * reload) and hostile keys, values and headers stay text in the live feed;
 * on /groups/:group the partition rows match the API.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import type { GroupDetail } from "../services/monitor/web/types.ts";
import { launchBrowser } from "./browser.ts";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";
import { startWorldServer } from "./prefixed_world.ts";

const HOSTILE = "<img src=x onerror=window.pwned=1>";
const PARTITIONS = 2;

Deno.test("browser monitor - live charts and an inert feed on /monitor; group rows match the API", async (t) => {
  const fx = await monitorFixture("mon-browser");
  const server = await startWorldServer(fx, { heartbeatMs: 500 });
  const { browser, close } = await launchBrowser();
  let consumer: Consumer | undefined;
  try {
    const topic = await fx.createTopic("demands.created", PARTITIONS);
    await produce(fx.kafka, topic, [{ key: "first", value: "{}" }]);
    const monitor = fx.monitor();
    await monitor.start();
    await waitFor(
      "the first message counted",
      () => countedPerTopic(fx.dataDir).get(topic) === 1,
      30_000,
    );

    await t.step("/monitor: the traffic chart gets new points after producing", async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.url}/monitor`);
      await page.waitForSelector(".live-open", { timeout: 10_000 });
      await page.waitForSelector('[data-chart="traffic"][data-ready="yes"]', { timeout: 10_000 });
      const sum = () =>
        page.$eval('[data-chart="traffic"]', (el) => Number(el.getAttribute("data-sum")));
      const before = await sum();
      assert.equal(before, 1, "the stored history: one message");
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

      await produce(
        fx.kafka,
        topic,
        Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      );
      await page.waitForFunction(
        () =>
          Number(document.querySelector('[data-chart="traffic"]')?.getAttribute("data-sum")) >= 31,
        { timeout: 5_000 },
      );
      assert.equal(
        await page.evaluate(() => (window as unknown as { marker?: number }).marker),
        1,
        "no reload",
      );
      assert.equal(await page.$$eval("canvas", (c) => c.length), 4);
      assert.deepEqual(errors, []);
      await page.close();
    });

    await t.step(
      "/monitor: no 'needs JavaScript' note once drawn; log scale remembered",
      async () => {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${server.url}/monitor?range=24h`);
        await page.waitForSelector('[data-chart="traffic"][data-ready="yes"]', { timeout: 10_000 });
        assert.equal(await page.$(".chart-nojs"), null);
        assert.equal(
          await page.$eval('input[name="log"]', (e) => (e as HTMLInputElement).checked),
          false,
        );
        await page.click('input[name="log"]');
        await page.reload();
        await page.waitForSelector('[data-chart="traffic"][data-ready="yes"]', { timeout: 10_000 });
        assert.equal(
          await page.$eval('input[name="log"]', (e) => (e as HTMLInputElement).checked),
          true,
        );
        await page.click('input[name="log"]');
        assert.deepEqual(errors, []);
        await page.setJavaScriptEnabled(false);
        await page.goto(`${server.url}/monitor`);
        assert.equal(
          (await page.$$(".chart-nojs")).length,
          4,
          "without JavaScript: a note per chart",
        );
        const boxes = await page.$$eval(
          ".chart-box",
          (b) => b.filter((x) => (x as HTMLElement).offsetHeight > 0).length,
        );
        assert.equal(boxes, 0, "and no empty frames");
        await page.close();
      },
    );

    await t.step(
      "/monitor: hostile keys, values and headers render inert in the feed",
      async () => {
        await produce(fx.kafka, topic, [{
          key: `<b>${HOSTILE}</b>`,
          value: `<script>window.pwned=2</script>${HOSTILE}`,
          headers: { "x-evil": HOSTILE, [`<i onmouseover=x>`]: "h" },
        }]);
        await waitFor("counted", () => countedPerTopic(fx.dataDir).get(topic) === 32, 20_000);
        const page = await browser.newPage();
        await page.goto(`${server.url}/monitor`);
        await page.waitForSelector(".live-open", { timeout: 10_000 });
        // Server-rendered feed (the first paint), then one more hostile message arriving live.
        await produce(fx.kafka, topic, [{
          key: "live",
          value: `<svg onload=window.pwned=3>${HOSTILE}`,
        }]);
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll(".feed-value")].some((e) =>
              e.textContent?.startsWith("<svg")
            ),
          { timeout: 5_000 },
        );
        const values = await page.$$eval(".feed-value", (els) => els.map((e) => e.textContent));
        assert.ok(
          values.includes(`<script>window.pwned=2</script>${HOSTILE}`),
          "value shown as text",
        );
        const keys = await page.$$eval(".feed-key", (els) => els.map((e) => e.textContent));
        assert.ok(keys.includes(`key: <b>${HOSTILE}</b>`), "key shown as text");
        const headers = await page.$$eval(".feed-headers", (els) => els.map((e) => e.textContent));
        assert.ok(headers.some((h) => h?.includes(`x-evil=${HOSTILE}`)), "headers shown as text");
        const injected = await page.$$eval(
          ".feed-list img, .feed-list script, .feed-list svg, .feed-list b, .feed-list i",
          (els) => els.length,
        );
        assert.equal(injected, 0, "no element made from a Kafka value");
        assert.equal(
          await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
          undefined,
        );
        await page.close();
      },
    );

    await t.step("/groups/:group: the partition rows match the API", async () => {
      const group = `${fx.prefix}doctors`;
      consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommitInterval: 200, eachMessage: async () => {} });
      const api = async () => {
        const res = await fetch(`${server.url}/api/groups/${encodeURIComponent(group)}`);
        return res.ok ? await res.json() as GroupDetail : (await res.body?.cancel(), undefined);
      };
      // Caught up means a committed offset at the end of each partition. Lag 0 alone is also
      // what the group shows before its first commit (a partition without a committed offset
      // has no row, docs/monitor.md); stopped then, it never commits, and the records below
      // would never show as lag.
      await waitFor(
        `the group sampled caught up on all ${PARTITIONS} partitions`,
        async () => {
          const partitions = (await api())?.partitions ?? [];
          return partitions.length === PARTITIONS && partitions.every((p) => p.lag === 0);
        },
        30_000,
      );
      await consumer.disconnect();
      consumer = undefined;
      await produce(
        fx.kafka,
        topic,
        Array.from({ length: 7 }, (_, i) => ({ key: `late${i}`, value: "x" })),
      );
      await waitFor("lag sampled", async () => (await api())?.lag === 7, 20_000);

      const page = await browser.newPage();
      await page.goto(`${server.url}/groups/${encodeURIComponent(group)}`);
      const rows = await page.$$eval("tr[data-partition]", (trs) =>
        trs.map((tr) => ({
          key: tr.getAttribute("data-partition"),
          committed: Number(tr.querySelector('[data-field="committed"]')?.textContent),
          end: Number(tr.querySelector('[data-field="end"]')?.textContent),
          lag: Number(tr.querySelector('[data-field="lag"]')?.textContent),
        })));
      const detail = (await api())!;
      assert.deepEqual(
        rows,
        detail.partitions.map((p) => ({
          key: `${p.topic}:${p.partition}`,
          committed: p.committed,
          end: p.end,
          lag: p.lag,
        })),
      );
      assert.equal(rows.reduce((s, r) => s + r.lag, 0), 7);
      await page.waitForSelector(".group-chart .live-open", { timeout: 10_000 });
      const points = Number(
        await page.$eval(".group-chart", (el) => el.getAttribute("data-points")),
      );
      await page.waitForFunction(
        (n) => Number(document.querySelector(".group-chart")?.getAttribute("data-points")) > n,
        { timeout: 15_000 }, // a new bucket: the 1-h range reads 10-s buckets here
        points,
      );
      await page.close();
    });
  } finally {
    await consumer?.disconnect();
    await close();
    await server.close();
    await fx.close();
  }
});
