/**
 * The message browser in headless Chromium, logged in as a viewer: the
 * newest page, seeking oldest / an offset / a time through the form, a
 * filtered search run in the page and its summary, an exact-key
 * search saying it read one partition, the live tail (new messages shown,
 * its reader stopped when the tab closes), and hostile keys, values and
 * headers inert everywhere (no dialog, no injected element, shown as text).
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { keyPartition } from "../shared/kafka/key_partition.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { assertInert, logInThroughPage, serveConsoleUi } from "./console_browser_helpers.ts";
import { consoleReader } from "./console_helpers.ts";

const KEY = `<script>window.__pwned="key"</script>`;
const VALUE = `{"note":"<img src=x onerror=\\"window.__pwned='value'\\">"}`;
const HEADER = `<svg onload="window.__pwned='header'">`;

const offsets = (page: Page) =>
  page.$$eval(
    "details.message",
    (all) => all.map((a) => `${a.getAttribute("data-partition")}:${a.getAttribute("data-offset")}`),
  );

Deno.test({
  name: "console messages browser - seek, search, tail; hostile messages inert",
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-msgs-ui");
    const dropTopic = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
    const reader = consoleReader();
    const ui = await serveConsoleUi({ messages: reader, timeoutMs: 150_000 });
    const { dialogs } = ui;
    try {
      const start = Date.now();
      await produce(
        kafka,
        topic,
        Array.from({ length: 60 }, (_, i) => ({
          key: `order-${i % 6}`,
          value: JSON.stringify({ i, status: i % 2 ? "PAGO" : "PENDENTE" }),
        })),
      );
      await produce(kafka, topic, [{ key: KEY, value: VALUE, headers: { "x-hostile": HEADER } }]);
      const page = await ui.newTab();
      const path = `/console/topics/${topic}/messages`;

      await t.step("the newest page shows the hostile message as text", async () => {
        await logInThroughPage(page, ui.url, "viewer", path);
        await page.waitForSelector('.message-browser[data-hydrated="yes"]');
        assert.equal((await offsets(page)).length, 50);
        // A row shows the key and value; its headers show once it is opened.
        await assertInert(page, dialogs, [KEY, "window.__pwned='value'"]);
        await page.click("details.message summary");
        await page.waitForSelector("details.message[open] .msg-body");
        await assertInert(page, dialogs, [KEY, HEADER, "x-hostile", "window.__pwned='value'"]);
      });

      await t.step(
        "dense rows: 50 in a short page, keyboard opens one, copy buttons, nav",
        async () => {
          await page.setViewport({ width: 1400, height: 900 });
          await page.$$eval("details.message", (all) => all.forEach((d) => (d.open = false)));
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          console.log(`page height for 50 messages at 1400 px: ${height} px`);
          assert.ok(height < 2_500, `50 rows in ${height} px`);
          assert.equal(
            await page.$eval(".console-nav a[aria-current=page]", (a) => a.textContent),
            "Messages",
          );
          assert.equal(
            await page.$eval("nav.tabs a[aria-current=page]", (a) => a.textContent),
            "Messages",
          );
          await page.$$eval("details.message", (all) => all.forEach((d) => (d.open = false)));
          await page.focus("details.message:nth-of-type(3) summary");
          await page.keyboard.press("Enter");
          await page.waitForSelector("details.message:nth-of-type(3)[open]");
          const buttons = await page.$$eval(
            "details.message:nth-of-type(3)[open] button.copy",
            (all) =>
              all.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => b.textContent),
          );
          assert.deepEqual(buttons.slice(0, 2), ["Copy key", "Copy value"]);
          assert.ok(buttons.includes("Copy permalink"));
        },
      );

      await t.step(
        "a cancelled search shows nothing, not the messages from before it",
        async () => {
          await page.setRequestInterception(true);
          const held: { abort(): Promise<void> }[] = [];
          const hold = (
            request: { url(): string; continue(): Promise<void>; abort(): Promise<void> },
          ) => {
            if (request.url().includes("/messages/search")) held.push(request);
            else request.continue();
          };
          page.on("request", hold);
          try {
            await page.goto(`${ui.url}${path}`);
            await page.waitForSelector('.message-browser[data-hydrated="yes"]');
            assert.equal((await offsets(page)).length, 50);
            await page.type('input[name="value"]', "never-matches");
            await page.click('.browse-form button[type="submit"]');
            await page.waitForSelector('[data-search="running"]');
            await page.click('[data-search="running"] button');
            await page.waitForSelector('[data-search="cancelled"]');
            assert.deepEqual(await offsets(page), [], "nothing under the filter");
          } finally {
            page.off("request", hold);
            await Promise.all(held.map((r) => r.abort().catch(() => {})));
            await page.setRequestInterception(false);
          }
        },
      );

      await t.step("its permalink page too", async () => {
        await page.goto(`${ui.url}${path}`);
        const href = await page.$eval(
          "details.message .permalink",
          (a) => (a as HTMLAnchorElement).href,
        );
        await Promise.all([page.waitForNavigation(), page.goto(href)]);
        await assertInert(page, dialogs, [KEY, HEADER]);
      });

      await t.step("the form seeks oldest, an offset and a time", async () => {
        await page.goto(`${ui.url}${path}`);
        await page.select('select[name="seek"]', "oldest");
        await page.select('select[name="partition"]', "1");
        await page.$eval('input[name="limit"]', (e) => ((e as HTMLInputElement).value = "3"));
        await Promise.all([
          page.waitForNavigation(),
          page.click('.browse-form button[type="submit"]'),
        ]);
        assert.deepEqual(await offsets(page), ["1:0", "1:1", "1:2"]);
        await page.select('select[name="seek"]', "offset");
        await page.type('input[name="offset"]', "5");
        await Promise.all([
          page.waitForNavigation(),
          page.click('.browse-form button[type="submit"]'),
        ]);
        assert.deepEqual(await offsets(page), ["1:5", "1:6", "1:7"]);
        await page.goto(
          `${ui.url}${path}?seek=timestamp&timestamp=${Date.now() + 60_000}&limit=5`,
        );
        assert.match(await page.$eval(".results", (e) => e.textContent ?? ""), /No newer messages/);
        await page.goto(`${ui.url}${path}?seek=timestamp&timestamp=${start - 60_000}&limit=5`);
        assert.equal((await offsets(page)).length, 5);
      });

      await t.step(
        "a filtered search runs in the page (over SSE) and shows its summary and matches",
        async () => {
          await page.goto(`${ui.url}${path}`);
          await page.waitForSelector('.message-browser[data-hydrated="yes"]');
          await page.type('input[name="value"]', '"status":"PAGO"');
          await page.$eval('input[name="limit"]', (e) => ((e as HTMLInputElement).value = "100"));
          await page.click('.browse-form button[type="submit"]');
          await page.waitForSelector(".scan-summary");
          assert.equal(page.url().includes("value=%22status%22"), true, "the search is in the URL");
          const summary = await page.$eval(".scan-summary", (e) => e.textContent ?? "");
          assert.match(summary, /Searched 61 message\(s\), 30 matched/);
          assert.equal((await offsets(page)).length, 30);
        },
      );

      await t.step("an exact key says which single partition it read", async () => {
        await page.goto(`${ui.url}${path}?key=order-4`);
        const note = await page.$eval(".key-partition", (e) => e.textContent ?? "");
        const partition = keyPartition("order-4", 3);
        assert.match(note, new RegExp(`only partition ${partition} of 3 was read`));
        const shown = await offsets(page);
        assert.equal(shown.length, 10);
        assert.ok(shown.every((o) => o.startsWith(`${partition}:`)));
      });

      await t.step("the live tail shows new messages, inert, and stops with the tab", async () => {
        const tab = await ui.newTab();
        await tab.goto(`${ui.url}${path}?tab=tail`);
        await tab.waitForSelector('.live-tail[data-hydrated="yes"]');
        await tab.click(".live-tail button");
        await tab.waitForSelector('.live-tail[data-state="live"]');
        const remaining = await tab.$eval("[data-remaining]", (e) => e.textContent ?? "");
        assert.match(remaining, /^stops in (29:[0-5]\d|30:00)$/, "the time left, counting down");
        await produce(kafka, topic, [{ key: `tail-${KEY}`, value: VALUE }]);
        await tab.waitForFunction(
          () => document.querySelectorAll(".live-tail details.message").length === 1,
          { timeout: 10_000 },
        );
        await assertInert(tab, dialogs, [`tail-${KEY}`]);
        assert.equal(reader.active().length, 1);
        await tab.close();
        await waitFor("the tail's reader to stop", () => reader.active().length === 0, 5_000);
      });
    } finally {
      await ui.close();
      await dropTopic();
    }
  },
});
