/**
 * The balances page in headless Chromium against the real broker: a
 * balance produced to Kafka shows in the table within seconds without a
 * reload, an overwrite updates its row, a tombstone removes it, a rebuild
 * reloads the list, hostile values stay text, and the hydrated lookup form
 * answers in place.
 */
import assert from "node:assert/strict";
import { balancesConsumer } from "../consumers/balances.ts";
import { BALANCES_BUS_TOPIC, BALANCES_SERVICE } from "../services/balances/balance.ts";
import { publish } from "../shared/bus/bus.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { startServer } from "../shared/web/serve.ts";
import { balanceJson, balancesFixture } from "./balances_helpers.ts";
import { launchChromium } from "./cdp.ts";
import { produce } from "./helpers.ts";
import { fakeProbe } from "./web_helpers.ts";

const rowOf = (id: string) => `document.querySelector('tr[data-account=${JSON.stringify(id)}]')`;
const cellsOf = (id: string) => `[...${rowOf(id)}.children].map((cell) => cell.textContent)`;

Deno.test("browser balances - a balance produced to Kafka appears live on /balances", async () => {
  const fx = await balancesFixture();
  const runner = createRunner(balancesConsumer.create(fx.env), {
    dataDir: fx.dataDir,
    mode: "process",
  });
  const server = await startServer({
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
  const browser = await launchChromium();
  fx.defer(() => browser.close());
  try {
    await runner.start();
    const page = await browser.open(`${server.url}/balances`);
    await page.waitFor("document.querySelector('.live-open')", 5_000);
    assert.equal(
      await page.evaluate("document.querySelector('.empty').textContent"),
      "No balance yet.",
    );

    const id = "<b>acct</b>";
    const timestamp = "<img src=x onerror=window.pwned=1>";
    await produce(fx.kafka, fx.topic, [{ key: id, value: balanceJson(id, 321.5, timestamp) }]);
    await page.waitFor(rowOf(id), 5_000);
    const [account, saldo, shownTimestamp] = await page.evaluate<string[]>(cellsOf(id));
    assert.deepEqual([account, saldo, shownTimestamp], [id, "321.50", timestamp]);
    assert.equal(await page.evaluate("document.querySelectorAll('main b, main img').length"), 0);

    await page.evaluate(`${rowOf(id)}.dataset.seen = "yes"`);
    await produce(fx.kafka, fx.topic, [{ key: id, value: balanceJson(id, 7, "later") }]);
    await page.waitFor(`${rowOf(id)}.children[1].textContent === '7.00'`, 5_000);
    assert.equal(await page.evaluate(`${rowOf(id)}.dataset.seen`), "yes", "updated in place");

    await produce(fx.kafka, fx.topic, [
      { key: id, value: null },
      { key: "acct-2", value: balanceJson("acct-2", 10) },
    ]);
    await page.waitFor(`!${rowOf(id)} && ${rowOf("acct-2")}`, 5_000);

    // A rebuild (its own process) announces `rebuilt`: the island reloads the list.
    const db = openDatabase(`${fx.dataDir}/${BALANCES_SERVICE}/${BALANCES_SERVICE}.db`);
    db.exec("INSERT INTO balances VALUES ('rebuilt-row', 5, 't', 0, 0, 0)");
    db.close();
    publish(BALANCES_BUS_TOPIC, "rebuilt", { accounts: 2 });
    await page.waitFor(rowOf("rebuilt-row"), 5_000);

    await page.waitFor("document.querySelector('.lookup[data-hydrated=yes]')", 5_000);
    const lookUp = async (value: string) => {
      await page.evaluate(`(() => {
        const input = document.querySelector('.lookup input');
        input.value = ${JSON.stringify(value)};
        input.dispatchEvent(new Event('input', { bubbles: true }));
        document.querySelector('.lookup button').click();
      })()`);
    };
    await lookUp("acct-2");
    await page.waitFor("document.querySelector('.lookup-result[data-status=found]')", 5_000);
    assert.match(
      await page.evaluate<string>("document.querySelector('.lookup-result').textContent"),
      /acct-2: saldo 10\.00/,
    );
    await lookUp(id);
    await page.waitFor("document.querySelector('.lookup-result[data-status=missing]')", 5_000);
    assert.match(
      await page.evaluate<string>("document.querySelector('.lookup-result').textContent"),
      /cliente não encontrado/,
    );

    assert.equal(await page.evaluate("window.pwned === undefined"), true);
    assert.deepEqual(page.navigations, [], "no reload");
    // The browser logs the lookup's 404 (an absent account) as a failed resource; nothing else.
    assert.deepEqual(page.errors.filter((e) => !/status of 404 .*\/api\/saldo\//.test(e)), []);
    await page.close();
  } finally {
    await fx.cleanup();
  }
});
