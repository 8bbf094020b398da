/**
 * Hydration in headless Chromium on the fixture app: the island keeps its
 * server-rendered DOM, becomes interactive, and a hostile prop stays text.
 */
import assert from "node:assert/strict";
import { startServer } from "../shared/web/serve.ts";
import { launchChromium } from "./cdp.ts";
import { fakeProbe, FIXTURE_ROOT } from "./web_helpers.ts";

Deno.test("browser islands - a hydrated island reacts to clicks and shows props as text", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-web-" });
  const server = await startServer({
    root: FIXTURE_ROOT,
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
  });
  const browser = await launchChromium();
  try {
    const attack = "</script><script>window.pwned = true</script>";
    const page = await browser.open(`${server.url}/island?text=${encodeURIComponent(attack)}`);
    await page.evaluate("document.querySelector('.echo span').dataset.ssr = 'kept'");
    const button = "document.querySelector('.echo button')";
    await page.waitFor("document.querySelector('.echo[data-hydrated=yes]')", 3_000);
    await page.evaluate(`${button}.click()`);
    await page.waitFor(`${button}.textContent === '1'`, 1_000);
    await page.evaluate(`${button}.click()`);
    await page.waitFor(`${button}.textContent === '2'`, 1_000);
    assert.equal(await page.evaluate("document.querySelector('.echo span').textContent"), attack);
    assert.equal(await page.evaluate("document.querySelector('.echo span').dataset.ssr"), "kept");
    assert.equal(await page.evaluate("document.querySelectorAll('.echo').length"), 1);
    assert.equal(await page.evaluate("window.pwned === true"), false);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
