/**
 * Headless Chromium for the console's browser tests, driven by
 * puppeteer-core. Chromium is started here (`--remote-debugging-port=0`,
 * a fresh profile in a temp folder) and puppeteer connects to the address
 * it prints: `puppeteer.launch` would need read access to
 * /usr/bin/chromium, which the test task does not grant (only
 * `--allow-run=/usr/bin/chromium`). `close()` ends both and removes the
 * profile.
 */
import puppeteer, { type Browser } from "puppeteer-core";

/** A launched browser and its clean-up. */
export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Reads stderr until the DevTools address shows, then keeps draining it in the background. */
async function devtoolsAddress(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const deadline = setTimeout(() => reader.cancel(), 20_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium printed no DevTools address:\n${seen}`);
      seen += decoder.decode(value, { stream: true });
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        (async () => {
          while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
        })();
        return match[1];
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

/** Starts `/usr/bin/chromium` headless with a fresh profile and connects puppeteer to it. */
export async function launchChromium(): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "freshet-chromium-" });
  const child = new Deno.Command("/usr/bin/chromium", {
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
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const address = await devtoolsAddress(child.stderr);
    const browser = await puppeteer.connect({ browserWSEndpoint: address });
    return {
      browser,
      async close() {
        await browser.close().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
