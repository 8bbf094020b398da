/**
 * Set-up of the console's browser tests: the app served with the test
 * logins on a throw-away data folder, headless Chromium (tests/browser.ts)
 * closed after a time limit, tabs that record and dismiss every dialog,
 * logging in through the page, and the check that hostile values stayed
 * inert.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { serveApp, type ServeAppOptions } from "../main.ts";
import type { AuthConfig } from "../shared/web/auth/mod.ts";
import { TEST_PASSWORDS, testAuth } from "./auth_helpers.ts";
import { launchBrowser } from "./browser.ts";
import { fakeProbe } from "./web_helpers.ts";

/** The served console and a browser to look at it with. */
export interface ConsoleUi {
  /** The app's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  browser: Browser;
  /** What every dialog of every tab said (a hostile value that ran would open one). */
  dialogs: string[];
  /** A new tab whose dialogs are recorded in `dialogs`. */
  newTab(): Promise<Page>;
  /** Ends the browser and the server and removes the data folder. */
  close(): Promise<void>;
}

/** Options of `serveConsoleUi`. */
export interface ConsoleUiOptions {
  /** The message reader of the message pages (ServeAppOptions' `messages`). */
  messages?: ServeAppOptions["messages"];
  /** The browser is closed after this long, failing whatever still waits on it (default 120 s). */
  timeoutMs?: number;
  /** Login settings (default: the test passwords, `testAuth()`). */
  auth?: AuthConfig;
  /** The port to listen on (default: a free one). */
  port?: number;
}

/** Serves the console on a free loopback port and starts a browser. */
export async function serveConsoleUi(options: ConsoleUiOptions = {}): Promise<ConsoleUi> {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-ui-" });
  const server = await serveApp({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    dataDir,
    topicPrefix: "",
    env: {},
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    auth: options.auth ?? testAuth(),
    messages: options.messages,
  });
  const chromium = await launchBrowser().catch(async (error) => {
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
    throw error;
  });
  const timer = setTimeout(() => chromium.close(), options.timeoutMs ?? 120_000);
  const dialogs: string[] = [];
  return {
    url: server.url,
    browser: chromium.browser,
    dialogs,
    async newTab() {
      const page = await chromium.browser.newPage();
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss().catch(() => {});
      });
      return page;
    },
    async close() {
      clearTimeout(timer);
      await chromium.close();
      await server.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Logs in through the login page `path` redirects to, and checks it lands back on `path`. */
export async function logInThroughPage(
  page: Page,
  base: string,
  user: keyof typeof TEST_PASSWORDS,
  path: string,
): Promise<void> {
  await page.goto(`${base}${path}`);
  assert.match(page.url(), /\/login\?next=/, "sent to the login page");
  await page.type('input[name="name"]', user);
  await page.type('input[name="password"]', TEST_PASSWORDS[user]);
  await Promise.all([page.waitForNavigation(), page.click('.login-form button[type="submit"]')]);
  const landed = new URL(page.url());
  assert.equal(landed.pathname + landed.search, path, "back where the user was going");
}

/**
 * Asserts that nothing hostile ran or was injected on `page` (no dialog, no
 * script effect, no element of the kinds a hostile value would make, no
 * inline script) and that each of `texts` shows as text.
 */
export async function assertInert(page: Page, dialogs: string[], texts: string[]): Promise<void> {
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
