/**
 * The dead-letter pages in headless Chromium: a dead letter whose key,
 * value, headers and reason are hostile is shown as text on /console/dlq
 * and on its topic's page (no dialog, no injected element); an operator
 * selects it and redrives it with the page's form (session and CSRF token,
 * no JavaScript needed) and the page says it went back; the message is on
 * the original topic.
 */
import assert from "node:assert/strict";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { browse } from "../services/console/messages/browse.ts";
import { DEFAULT_BUDGET } from "../services/console/messages/browse_types.ts";
import { LogClient } from "../shared/kafka/wire/log_client.ts";
import { adminKafka, createTopics, produce, randomName } from "./helpers.ts";
import { assertInert, logInThroughPage, serveConsoleUi } from "./console_browser_helpers.ts";

const KEY = `<script>window.__pwned="key"</script>`;
const VALUE = `<img src=x onerror="window.__pwned='value'">`;
const ERROR = `<svg onload="window.__pwned='reason'">`;

Deno.test({
  name: "console dlq browser - hostile dead letter inert; redrive with the page's form",
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-dlq-ui");
    const dlq = `${topic}.dlq`;
    const dropTopics = await createTopics(kafka, [{ topic }, { topic: dlq }]);
    const ui = await serveConsoleUi();
    const { dialogs } = ui;
    try {
      await produce(kafka, dlq, [{
        key: KEY,
        value: VALUE,
        headers: {
          [DLQ_HEADERS.error]: ERROR,
          [DLQ_HEADERS.code]: "INVALID_MESSAGE",
          [DLQ_HEADERS.topic]: topic,
          [DLQ_HEADERS.partition]: "0",
          [DLQ_HEADERS.offset]: "7",
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          "x-hostile": `<iframe src="javascript:window.__pwned='header'">`,
        },
      }]);
      const page = await ui.newTab();

      await t.step(
        "/console/dlq lists the topic with its hostile newest arrival as text",
        async () => {
          await logInThroughPage(page, ui.url, "operator", "/console/dlq");
          const row = await page.$(`tr[data-topic="${dlq}"]`);
          assert.ok(row, "the topic is listed");
          assert.match(await row.evaluate((e) => e.textContent ?? ""), /INVALID_MESSAGE/);
          await assertInert(page, dialogs, [ERROR]);
        },
      );

      await t.step("the topic's page shows it inert and redrives it with the form", async () => {
        await page.goto(`${ui.url}/console/dlq/${dlq}`);
        await assertInert(page, dialogs, [KEY, VALUE, ERROR, `From ${topic} partition 0 offset 7`]);
        await page.click('.dead-letter input[name="messages"]');
        await Promise.all([page.waitForNavigation(), page.click("#redrive-selected button")]);
        const notice = await page.$eval('[role="status"]', (e) => e.textContent ?? "");
        assert.match(notice, /Redriven: 1; skipped: 0; failed: 0/);
        const state = await page.$eval(".redriven", (e) => e.getAttribute("data-redrive-state"));
        assert.equal(state, "sent");
        await assertInert(page, dialogs, [KEY]);
      });

      await t.step("the message is back on its topic", async () => {
        const client = new LogClient(kafka);
        try {
          const back = await browse(client, {
            topic,
            seek: { kind: "oldest" },
            limit: 10,
            filter: {},
            budget: DEFAULT_BUDGET,
          });
          assert.equal(back.messages.length, 1);
          assert.equal(back.messages[0].key?.text, KEY);
          assert.equal(back.messages[0].value?.text, VALUE);
        } finally {
          await client.close();
        }
      });
    } finally {
      await ui.close();
      await dropTopics();
    }
  },
});
