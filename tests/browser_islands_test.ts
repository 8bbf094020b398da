/**
 * Hydration in headless Chromium on the fixture app: the island keeps its
 * server-rendered DOM, becomes interactive, and a hostile prop stays text.
 */
import assert from "node:assert/strict";
import { serveApp } from "../main.ts";
import { launchBrowser, pageErrors } from "./browser.ts";
import { fakeProbe, FIXTURE_ROOT } from "./web_helpers.ts";

Deno.test("browser islands - a hydrated island reacts to clicks and shows props as text", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-web-" });
  const server = await serveApp({
    root: FIXTURE_ROOT,
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
  });
  const { browser, close } = await launchBrowser();
  try {
    const attack = "</script><script>window.pwned = true</script>";
    const page = await browser.newPage();
    const errors = pageErrors(page);
    // Marks the server-rendered span as the parser adds it, before any module script runs.
    await page.evaluateOnNewDocument(() => {
      new MutationObserver((_, observer) => {
        const span = document.querySelector<HTMLElement>(".echo span");
        if (!span) return;
        span.dataset.ssr = "kept";
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.url}/island?text=${encodeURIComponent(attack)}`);
    await page.waitForSelector(".echo[data-hydrated=yes]", { timeout: 3_000 });
    const clicksShown = (n: string) =>
      page.waitForFunction(
        (n) => document.querySelector(".echo button")?.textContent === n,
        { timeout: 1_000 },
        n,
      );
    await page.click(".echo button");
    await clicksShown("1");
    await page.click(".echo button");
    await clicksShown("2");
    assert.equal(await page.$eval(".echo span", (span) => span.textContent), attack);
    assert.equal(
      await page.$eval(".echo span", (span) => (span as HTMLElement).dataset.ssr),
      "kept",
    );
    assert.equal(await page.$$eval(".echo", (echoes) => echoes.length), 1);
    assert.equal(
      await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned === true),
      false,
    );
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
