/**
 * Headless Chromium for the browser tests, driven by puppeteer-core:
 * Debian's `/usr/bin/chromium` is started here (the test run may execute
 * it but not read it, which puppeteer's own `launch` insists on) with a
 * fresh profile and a DevTools port of its choosing, and puppeteer connects
 * to it. `close()` ends the browser and removes the profile.
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";

const CHROMIUM = "/usr/bin/chromium";
/** Bounds every DevTools call, so a stuck browser fails the test instead of hanging it. */
const PROTOCOL_TIMEOUT_MS = 30_000;

/** A started browser and the function that ends it. */
export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Reads Chromium's stderr until it says where DevTools listens (giving up
 * after `timeoutMs`), then keeps draining it so a full pipe never blocks
 * the browser.
 */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>, timeoutMs: number): Promise<string> {
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = setTimeout(() => reader.cancel().catch(() => {}), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Chromium did not start:\n${text.slice(-1000)}`);
      text += decoder.decode(value, { stream: true });
      const match = text.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        (async () => {
          while (!(await reader.read()).done) { /* discarded */ }
        })().catch(() => {});
        return match[1];
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

/** Starts Chromium headless with a fresh profile and connects puppeteer to it. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "freshet-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Asked to close, Chromium gets 5 s to exit before it is killed.
  const stop = async () => {
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5_000);
    await child.status;
    clearTimeout(timer);
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const url = await devtoolsUrl(child.stderr, 20_000);
    const browser = await puppeteer.connect({
      browserWSEndpoint: url,
      defaultViewport: null,
      protocolTimeout: PROTOCOL_TIMEOUT_MS,
    });
    return {
      browser,
      async close() {
        // Browser.close ends Chromium cleanly; a dropped connection still gets the kill.
        await browser.close().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await stop();
    throw error;
  }
}

/**
 * Records what the browser reports as going wrong in `page`: uncaught
 * exceptions, `console.error`, and the errors it logs itself (a failed
 * resource, a Content-Security-Policy violation), each with its URL.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push(`${message.text()} ${message.location().url ?? ""}`.trim());
    }
  });
  return errors;
}

/**
 * Marks the document `page` shows now; the function returned tells whether
 * it is still that document (no reload, no navigation to another page).
 */
export async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  const mark = crypto.randomUUID();
  await page.evaluate((m) => {
    (globalThis as { __freshetMark?: string }).__freshetMark = m;
  }, mark);
  return async () =>
    await page.evaluate(() => (globalThis as { __freshetMark?: string }).__freshetMark) === mark;
}
