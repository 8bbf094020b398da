/**
 * The balances page in headless Chromium against the real broker: a
 * balance produced to Kafka shows in the table within seconds without a
 * reload, an overwrite updates its row, a tombstone removes it, a rebuild
 * reloads the list, hostile values stay text, and the hydrated lookup form
 * answers in place.
 */
import assert from "node:assert/strict";
import { balancesConsumer } from "../services/balances/consumer.ts";
import { BALANCES_BUS_TOPIC, BALANCES_SERVICE } from "../services/balances/balance.ts";
import { publish } from "../shared/bus/bus.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { serveApp } from "../main.ts";
import { balanceJson, balancesFixture } from "./balances_helpers.ts";
import { launchBrowser, markDocument, pageErrors } from "./browser.ts";
import { produce } from "./helpers.ts";
import { fakeProbe } from "./web_helpers.ts";

const rowOf = (id: string) => `tr[data-account=${JSON.stringify(id)}]`;

Deno.test("browser balances - a balance produced to Kafka appears live on /balances", async () => {
  const fx = await balancesFixture();
  const runner = createRunner(balancesConsumer.create(fx.env), {
    dataDir: fx.dataDir,
    mode: "process",
  });
  const server = await serveApp({
    hostname: "127.0.0.1",
    port: 0,
    dataDir: fx.dataDir,
    topicPrefix: fx.prefix,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    heartbeatMs: 200,
  });
  fx.defer(() => server.close());
  // Closers run newest first: the runner stops while the server's bus is still open.
  fx.defer(() => runner.stop());
  const { browser, close } = await launchBrowser();
  fx.defer(close);
  try {
    await runner.start();
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/balances`);
    await page.waitForSelector(".live-open", { timeout: 5_000 });
    const sameDocument = await markDocument(page);
    assert.equal(await page.$eval(".empty", (p) => p.textContent), "No balance yet.");

    const id = "<b>acct</b>";
    const timestamp = "<img src=x onerror=window.pwned=1>";
    await produce(fx.kafka, fx.topic, [{ key: id, value: balanceJson(id, 321.5, timestamp) }]);
    await page.waitForSelector(rowOf(id), { timeout: 5_000 });
    const cells = await page.$eval(rowOf(id), (row) => [...row.children].map((c) => c.textContent));
    assert.deepEqual(cells.slice(0, 3), [id, "321.50", timestamp]);
    assert.equal(await page.$$eval("main b, main img", (found) => found.length), 0);

    await page.$eval(rowOf(id), (row) => ((row as HTMLElement).dataset.seen = "yes"));
    await produce(fx.kafka, fx.topic, [{ key: id, value: balanceJson(id, 7, "later") }]);
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.children[1].textContent === "7.00",
      { timeout: 5_000 },
      rowOf(id),
    );
    assert.equal(
      await page.$eval(rowOf(id), (row) => (row as HTMLElement).dataset.seen),
      "yes",
      "updated in place",
    );

    await produce(fx.kafka, fx.topic, [
      { key: id, value: null },
      { key: "acct-2", value: balanceJson("acct-2", 10) },
    ]);
    await page.waitForFunction(
      (gone, added) => !document.querySelector(gone) && document.querySelector(added),
      { timeout: 5_000 },
      rowOf(id),
      rowOf("acct-2"),
    );

    // A rebuild (its own process) announces `rebuilt`: the island reloads the list.
    const db = openDatabase(`${fx.dataDir}/${BALANCES_SERVICE}/${BALANCES_SERVICE}.db`);
    db.exec("INSERT INTO balances VALUES ('rebuilt-row', 5, 't', 0, 0, 0)");
    db.close();
    publish(BALANCES_BUS_TOPIC, "rebuilt", { accounts: 2 });
    await page.waitForSelector(rowOf("rebuilt-row"), { timeout: 5_000 });

    await page.waitForSelector(".lookup[data-hydrated=yes]", { timeout: 5_000 });
    const lookUp = async (value: string, status: string) => {
      await page.locator(".lookup input").fill(value);
      await page.click(".lookup button");
      await page.waitForSelector(
        `.lookup-result[data-status=${status}]`,
        { timeout: 5_000 },
      );
      return await page.$eval(".lookup-result", (p) => p.textContent ?? "");
    };
    assert.match(await lookUp("acct-2", "found"), /acct-2: saldo 10\.00/);
    assert.match(await lookUp(id, "missing"), /cliente não encontrado/);

    assert.equal(await page.evaluate(() => "pwned" in globalThis), false);
    assert.equal(await sameDocument(), true, "no reload");
    // The browser logs the lookup's 404 (an absent account) as a failed resource; nothing else.
    assert.deepEqual(errors.filter((e) => !/status of 404 .*\/api\/saldo\//.test(e)), []);
    await page.close();
  } finally {
    await fx.cleanup();
  }
});
