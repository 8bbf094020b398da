/**
 * The home page in headless Chromium: the ConsumerBoard island hydrates,
 * opens its live stream, and shows a consumer status published on the bus
 * within a second, without a reload. Closing the page ends the stream.
 */
import assert from "node:assert/strict";
import { publish } from "../shared/bus/bus.ts";
import { serveApp } from "../main.ts";
import { launchBrowser, markDocument, pageErrors } from "./browser.ts";
import { waitFor } from "./helpers.ts";
import { countingSubscribe, fakeProbe, statusOf } from "./web_helpers.ts";

const rowOf = (name: string) => `tr[data-consumer=${JSON.stringify(name)}]`;

Deno.test("browser home - a published consumer status shows in the island without reload", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-web-" });
  const live = countingSubscribe();
  const server = await serveApp({
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    subscribe: live.subscribe,
    heartbeatMs: 200,
  });
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/`);
    assert.equal(await page.$eval("h1", (h1) => h1.textContent), "Freshet");
    await page.waitForSelector(".live-open", { timeout: 5_000 });
    assert.equal(live.open(), 1);
    const sameDocument = await markDocument(page);

    const name = "<b>billing</b>";
    const published = Date.now();
    publish("consumer", "status", statusOf({ name, state: "retrying", lag: 1234 }));
    await page.waitForSelector(rowOf(name), { timeout: 1_000 });
    const shownAfterMs = Date.now() - published;
    assert.ok(shownAfterMs < 1_000, `shown after ${shownAfterMs} ms`);
    const cells = await page.$eval(
      rowOf(name),
      (row) => [...row.children].map((cell) => cell.textContent),
    );
    assert.deepEqual(cells, [name, "worker", "retrying", "1234", "demands.created"]);
    assert.equal(await page.$$eval("b", (bs) => bs.length), 0, "text, not markup");

    await page.$eval(rowOf(name), (row) => ((row as HTMLElement).dataset.seen = "yes"));
    publish("consumer", "status", statusOf({ name, state: "running", lag: 0 }));
    await page.waitForFunction(
      (selector) => document.querySelector(`${selector} .state`)?.textContent === "running",
      { timeout: 1_000 },
      rowOf(name),
    );
    assert.equal(
      await page.$eval(rowOf(name), (row) => (row as HTMLElement).dataset.seen),
      "yes",
      "the row was updated in place, not rebuilt",
    );
    assert.equal(await sameDocument(), true, "no reload");
    assert.deepEqual(errors, []);

    await page.close();
    await waitFor("the stream's subscription to end with the page", () => live.open() === 0, 3_000);
  } finally {
    await close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
