/**
 * Live pages never use up the browser's connections (issue 20, item 1), in
 * headless Chromium: a page holds one stream for all its islands; walking
 * ten live pages with back and forward leaves one stream open, and /login
 * then loads in under 2 s (timed by the browser's own navigation timing);
 * with six tabs of live pages the server refuses the streams beyond a
 * browser's share, the refused tabs say why, pages still load at once, and
 * a refused tab goes live when a slot frees and it shows again.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { serveApp } from "../main.ts";
import { DEFAULT_STREAMS_PER_BROWSER } from "../shared/web/client_streams.ts";
import { launchBrowser, pageErrors } from "./browser.ts";
import { waitFor } from "./helpers.ts";
import { countingSubscribe, fakeProbe } from "./web_helpers.ts";

/** Ten pages whose islands are live (two of them with several islands' worth of topics). */
const LIVE_PAGES = [
  "/",
  "/monitor",
  "/demands",
  "/orders",
  "/balances",
  "/monitor?range=1h",
  "/demands?status=pending",
  "/orders?status=PAGO",
  "/monitor?range=6h",
  "/demands?status=assumed",
];

/** Milliseconds from the start of the navigation to the end of the response, as the browser saw. */
function loadedInMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    return entry.responseEnd - entry.startTime;
  });
}

const isLive = (page: Page) => page.waitForSelector(".live-open", { timeout: 10_000 });

Deno.test("browser live connections - ten live pages with back and forward, six live tabs: /login still loads at once", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-live-" });
  const live = countingSubscribe();
  const server = await serveApp({
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    subscribe: live.subscribe,
    heartbeatMs: 1_000,
  });
  const { browser, close } = await launchBrowser();
  const deadline = setTimeout(() => close(), 150_000);
  try {
    await t.step(
      "one stream per page, closed when left; /login after the walk in < 2 s",
      async () => {
        const page = await browser.newPage();
        const errors = pageErrors(page);
        for (const path of LIVE_PAGES) {
          await page.goto(`${server.url}${path}`);
          await isLive(page);
          await waitFor(`one stream open on ${path}`, () => live.open() === 1, 5_000);
        }
        for (let i = 0; i < 5; i++) {
          await page.goBack();
          await isLive(page);
        }
        for (let i = 0; i < 3; i++) {
          await page.goForward();
          await isLive(page);
        }
        await waitFor("only the page shown holds a stream", () => live.open() === 1, 5_000);
        await page.goto(`${server.url}/login`, { timeout: 10_000 });
        const ms = await loadedInMs(page);
        assert.ok(ms < 2_000, `/login loaded in ${Math.round(ms)} ms`);
        await waitFor("the login page holds none", () => live.open() === 0, 5_000);
        assert.deepEqual(errors, []);
        await page.close();
      },
    );

    await t.step(
      "six live tabs: the streams beyond the share are refused and say so; /login loads",
      async () => {
        const tabs: Page[] = [];
        for (let i = 0; i < 6; i++) {
          const tab = await browser.newPage();
          await tab.goto(`${server.url}${LIVE_PAGES[i]}`, { timeout: 10_000 });
          await tab.waitForSelector(".live-open, .live-refused", { timeout: 10_000 });
          tabs.push(tab);
        }
        const states = await Promise.all(
          tabs.map((tab) => tab.$eval(".live", (p) => (p as HTMLElement).dataset.live)),
        );
        assert.equal(states.filter((s) => s === "open").length, DEFAULT_STREAMS_PER_BROWSER);
        const refused = tabs.filter((_, i) => states[i] === "refused");
        assert.equal(refused.length, 6 - DEFAULT_STREAMS_PER_BROWSER);
        const reason = await refused[0].$eval(".live", (p) => p.textContent ?? "");
        assert.match(reason, /this browser already holds 4 live streams/);
        assert.match(reason, /live updates of \//, "names what holds them");

        const login = await browser.newPage();
        await login.goto(`${server.url}/login`, { timeout: 10_000 });
        const ms = await loadedInMs(login);
        assert.ok(ms < 2_000, `/login loaded in ${Math.round(ms)} ms beside six live tabs`);

        // A tab closed frees its slot; a refused tab shown again goes live.
        await tabs[states.indexOf("open")].close();
        await waitFor("a slot freed", () => live.open() === DEFAULT_STREAMS_PER_BROWSER - 1, 5_000);
        await refused[0].bringToFront();
        await isLive(refused[0]);
        for (const tab of [...tabs, login]) if (!tab.isClosed()) await tab.close();
        await waitFor("every stream closed with its tab", () => live.open() === 0, 5_000);
      },
    );
  } finally {
    clearTimeout(deadline);
    await close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
