/**
 * The console in headless Chromium: logging in through the page, producing
 * from the topic page, and hostile keys, values, headers and group names
 * rendered inert on every console page that shows them (no dialog, no
 * injected element, the text shown as text); a viewer gets no operator form.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { withAdmin } from "../shared/kafka/client.ts";
import { startServer } from "../shared/web/serve.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";
import { TEST_PASSWORDS, testAuth } from "./auth_helpers.ts";
import { launchChromium } from "./console_browser.ts";
import { fakeProbe } from "./web_helpers.ts";

const KEY = `<script>window.__pwned="key"</script>`;
const VALUE = `<img src=x onerror="window.__pwned='value'">`;
const HEADER = `<svg onload="window.__pwned='header'">`;

/** Asserts nothing hostile ran or was injected on `page`, and `texts` show as text. */
async function assertInert(page: Page, dialogs: string[], texts: string[]): Promise<void> {
  const found = await page.evaluate(() => ({
    pwned: (globalThis as { __pwned?: unknown }).__pwned ?? null,
    injected: document.querySelectorAll("img, svg, iframe, object, embed, script:not([src])")
      .length,
    text: document.body.innerText,
  }));
  assert.deepEqual(dialogs, [], "no dialog opened");
  assert.equal(found.pwned, null, "no hostile script ran");
  assert.equal(found.injected, 0, "no element was injected");
  for (const text of texts) assert.ok(found.text.includes(text), `shows ${text} as text`);
}

async function logIn(page: Page, base: string, user: "viewer" | "operator", path: string) {
  await page.goto(`${base}${path}`);
  assert.match(page.url(), /\/login\?next=/, "sent to the login page");
  await page.type('input[name="name"]', user);
  await page.type('input[name="password"]', TEST_PASSWORDS[user]);
  await Promise.all([page.waitForNavigation(), page.click('.login-form button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, path, "back where the user was going");
}

Deno.test({
  name: "console browser - login, produce, hostile values inert on every page",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-console-ui");
    const group = `t-grp-"><img src=x onerror=alert('group')>-${crypto.randomUUID().slice(0, 8)}`;
    const dropTopic = await createTopics(kafka, [{ topic, numPartitions: 2 }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-ui-" });
    const server = await startServer({
      hostname: "127.0.0.1",
      port: 0,
      dataDir,
      topicPrefix: "",
      env: {},
      consumers: [],
      busBridge: false,
      brokerProbe: fakeProbe(),
      auth: testAuth(),
    });
    const chromium = await launchChromium();
    const timer = setTimeout(() => chromium.close(), 120_000);
    try {
      await withAdmin(
        kafka,
        (admin) =>
          admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: "0" }] }),
      );
      const page = await chromium.browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss().catch(() => {});
      });
      const topicPath = `/console/topics/${topic}`;

      await t.step("an operator logs in through the page", async () => {
        await logIn(page, server.url, "operator", topicPath);
      });

      await t.step("produce from the topic page: hostile key, value and header", async () => {
        await page.type('form textarea[name="value"]', VALUE);
        await page.type('#produce input[name="key"]', KEY);
        await page.type('#produce textarea[name="headers"]', `x-test: ${HEADER}`);
        await Promise.all([
          page.waitForNavigation(),
          page.click('#produce button[type="submit"]'),
        ]);
        const notice = await page.$eval('[role="status"]', (e) => e.textContent ?? "");
        assert.match(notice, /Message produced to partition \d at offset 0/);
        await assertInert(page, dialogs, [group]);
      });

      await t.step("the groups list and the hostile group's page", async () => {
        await page.goto(`${server.url}/console/groups?q=${encodeURIComponent("t-grp-")}`);
        await assertInert(page, dialogs, [group]);
        await Promise.all([
          page.waitForNavigation(),
          page.click(`tr[data-group="${group.replaceAll('"', '\\"')}"] a`),
        ]);
        await assertInert(page, dialogs, [group]);
        assert.ok(await page.$("#reset"), "an operator gets the reset form");
      });

      await t.step("the audit log shows the produce with its hostile key", async () => {
        await page.goto(`${server.url}/console/audit?action=message`);
        // The detail is JSON: the key shows with its quotes escaped.
        await assertInert(page, dialogs, ["message.produce", JSON.stringify(KEY).slice(1, -1)]);
      });

      await t.step("a viewer reads the topic page without operator forms", async () => {
        await Promise.all([page.waitForNavigation(), page.click("form.session button")]);
        assert.equal(new URL(page.url()).pathname, "/login");
        await logIn(page, server.url, "viewer", topicPath);
        assert.equal(await page.$("#produce"), null);
        assert.equal(await page.$("#delete-form"), null);
        await assertInert(page, dialogs, [group]);
      });
    } finally {
      clearTimeout(timer);
      await chromium.close();
      await server.close();
      await withAdmin(kafka, (admin) => admin.deleteGroups([group]).catch(() => {}));
      await dropTopic();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
