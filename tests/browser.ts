/**
 * Headless Chromium for the browser tests, driven by puppeteer-core:
 * Debian's `/usr/bin/chromium` is started here (the test run may execute
 * it but not read it, which puppeteer's own `launch` insists on) with a
 * fresh profile and a DevTools port of its choosing, and puppeteer connects
 * to it. `close()` ends the browser and removes the profile.
 */
import puppeteer, { type Browser } from "puppeteer-core";

const CHROMIUM = "/usr/bin/chromium";

/** Reads Chromium's stderr until it says where DevTools listens. */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>, timeoutMs: number): Promise<string> {
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const match = text.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) return match[1];
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error(`Chromium did not start:\n${text.slice(-1000)}`);
}

/** A started browser and the function that ends it. */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
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
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const url = await devtoolsUrl(child.stderr, 15_000);
    // Keep reading what Chromium logs, so a full pipe never blocks it.
    (async () => {
      for await (const _ of child.stderr) { /* discarded */ }
    })().catch(() => {});
    const browser = await puppeteer.connect({ browserWSEndpoint: url, defaultViewport: null });
    return {
      browser,
      async close() {
        await browser.disconnect().catch(() => {});
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
