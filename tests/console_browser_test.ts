/**
 * The console in headless Chromium: logging in through the page, producing
 * from the topic page, and hostile keys, values, headers and group names
 * rendered inert on every console page that shows them (no dialog, no
 * injected element, the text shown as text); a viewer gets no operator form.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";
import { assertInert, logInThroughPage, serveConsoleUi } from "./console_browser_helpers.ts";

const KEY = `<script>window.__pwned="key"</script>`;
const VALUE = `<img src=x onerror="window.__pwned='value'">`;
const HEADER = `<svg onload="window.__pwned='header'">`;

Deno.test({
  name: "console browser - login, produce, hostile values inert on every page",
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-console-ui");
    const group = `t-grp-"><img src=x onerror=alert('group')>-${crypto.randomUUID().slice(0, 8)}`;
    const dropTopic = await createTopics(kafka, [{ topic, numPartitions: 2 }]);
    const ui = await serveConsoleUi();
    const { dialogs } = ui;
    try {
      await withAdmin(
        kafka,
        (admin) =>
          admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: "0" }] }),
      );
      const page = await ui.newTab();
      const topicPath = `/console/topics/${topic}`;

      await t.step("an operator logs in through the page", async () => {
        await logInThroughPage(page, ui.url, "operator", `${topicPath}?tab=produce`);
      });

      await t.step("produce from the topic page: hostile key, value and header", async () => {
        await page.type('form textarea[name="value"]', VALUE);
        await page.type('#produce input[name="key"]', KEY);
        await page.type('#produce textarea[name="headers"]', `x-test: ${HEADER}`);
        await Promise.all([
          page.waitForNavigation(),
          page.click('#produce button[type="submit"]'),
        ]);
        const notice = await page.$eval('#produce [role="status"]', (e) => e.textContent ?? "");
        assert.match(notice, /Message produced to partition \d at offset 0/, "beside the form");
        await page.goto(`${ui.url}${topicPath}?tab=consumers`);
        await assertInert(page, dialogs, [group]);
      });

      await t.step("the groups list and the hostile group's page", async () => {
        await page.goto(`${ui.url}/console/groups?q=${encodeURIComponent("t-grp-")}`);
        await assertInert(page, dialogs, [group]);
        await Promise.all([
          page.waitForNavigation(),
          page.click(`tr[data-group="${group.replaceAll('"', '\\"')}"] a`),
        ]);
        await assertInert(page, dialogs, [group]);
        assert.ok(await page.$("#reset"), "an operator gets the reset form");
      });

      await t.step(
        "the reset form shows only the chosen mode's field, then asks once",
        async () => {
          const visible = () =>
            page.$$eval(
              "#reset .mode-field input",
              (inputs) =>
                inputs.filter((i) => (i as HTMLElement).offsetParent !== null).map((i) =>
                  (i as HTMLInputElement).name
                ),
            );
          assert.deepEqual(await visible(), [], "earliest has no field");
          await page.click('#reset input[name="to"][value="shift"]');
          assert.deepEqual(await visible(), ["by"]);
          await page.click('#reset input[name="to"][value="timestamp"]');
          assert.deepEqual(await visible(), ["timestamp"]);
          await page.click('#reset input[name="to"][value="earliest"]');
          await Promise.all([
            page.waitForNavigation(),
            page.click("#reset form.reset-form button"),
          ]);
          const asked = await page.$eval("#reset-confirm h2", (e) => e.textContent ?? "");
          assert.match(asked, /Reset .* on .*: \d+ of 2 partition\(s\) move/);
          await assertInert(page, dialogs, [group]);
        },
      );

      await t.step("the audit log shows the produce with its hostile key", async () => {
        await page.goto(`${ui.url}/console/audit?action=message`);
        // The detail is JSON: the key shows with its quotes escaped.
        await assertInert(page, dialogs, ["message.produce", JSON.stringify(KEY).slice(1, -1)]);
      });

      await t.step("a viewer reads the topic page without operator forms", async () => {
        await Promise.all([page.waitForNavigation(), page.click("form.session button")]);
        assert.equal(new URL(page.url()).pathname, "/login");
        await logInThroughPage(page, ui.url, "viewer", `${topicPath}?tab=settings`);
        assert.equal(await page.$("#delete-form"), null);
        assert.equal(await page.$('nav.tabs a[data-tab="produce"]'), null);
        await page.goto(`${ui.url}${topicPath}?tab=produce`);
        assert.equal(await page.$("#produce"), null);
        await page.goto(`${ui.url}${topicPath}?tab=consumers`);
        await assertInert(page, dialogs, [group]);
      });
    } finally {
      await ui.close();
      await withAdmin(kafka, (admin) => admin.deleteGroups([group]).catch(() => {}));
      await dropTopic();
    }
  },
});
