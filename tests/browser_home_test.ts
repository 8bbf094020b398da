/**
 * The home page in headless Chromium: the ConsumerBoard island hydrates,
 * opens its live stream, and shows a consumer status published on the bus
 * within a second, without a reload. Closing the page ends the stream.
 */
import assert from "node:assert/strict";
import { publish } from "../shared/bus/bus.ts";
import { startServer } from "../shared/web/serve.ts";
import { launchChromium } from "./cdp.ts";
import { countingSubscribe, fakeProbe, statusOf } from "./web_helpers.ts";

const rowOf = (name: string) =>
  `document.querySelector('tr[data-consumer=${JSON.stringify(name)}]')`;

Deno.test("browser home - a published consumer status shows in the island without reload", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-web-" });
  const live = countingSubscribe();
  const server = await startServer({
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    subscribe: live.subscribe,
    heartbeatMs: 200,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.open(`${server.url}/`);
    assert.equal(await page.evaluate("document.querySelector('h1').textContent"), "Freshet");
    await page.waitFor("document.querySelector('.live-open')", 5_000);
    assert.equal(live.open(), 1);

    const name = "<b>billing</b>";
    publish("consumer", "status", statusOf({ name, state: "retrying", lag: 1234 }));
    const shownAfterMs = await page.waitFor(rowOf(name), 1_000);
    assert.ok(shownAfterMs < 1_000, `shown after ${shownAfterMs} ms`);
    const cells = await page.evaluate<string[]>(
      `[...${rowOf(name)}.children].map((cell) => cell.textContent)`,
    );
    assert.deepEqual(cells, [name, "worker", "retrying", "1234", "demands.created"]);
    assert.equal(
      await page.evaluate("document.querySelectorAll('b').length"),
      0,
      "text, not markup",
    );

    await page.evaluate(`${rowOf(name)}.dataset.seen = "yes"`);
    publish("consumer", "status", statusOf({ name, state: "running", lag: 0 }));
    await page.waitFor(`${rowOf(name)}.querySelector('.state').textContent === 'running'`, 1_000);
    assert.equal(
      await page.evaluate(`${rowOf(name)}.dataset.seen`),
      "yes",
      "the row was updated in place, not rebuilt",
    );
    assert.deepEqual(page.navigations, [], "no reload");
    assert.deepEqual(page.errors, []);

    await page.close();
    const deadline = Date.now() + 3_000;
    while (live.open() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(live.open(), 0, "the stream's subscription ended with the page");
  } finally {
    await browser.close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
