/**
 * A minimal Chrome DevTools Protocol driver for browser tests: starts
 * headless Chromium, opens pages, evaluates expressions, records errors
 * and navigations. (playwright-core cannot be used without --allow-all in
 * Deno 2.9: it probes /proc/sys/fs/binfmt_misc when imported, and /proc
 * paths need all permissions.)
 */

/** Flags for a quiet, sandbox-free headless Chromium. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

class Connection {
  #socket: WebSocket;
  #nextId = 1;
  #calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #listeners = new Map<string, Set<Listener>>();

  constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      const call = this.#calls.get(message.id);
      if (call) {
        this.#calls.delete(message.id);
        if (message.error) call.reject(new Error(`CDP: ${message.error.message}`));
        else call.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.#listeners.get(message.method) ?? []) {
          listener(message.params, message.sessionId);
        }
      }
    };
  }

  static open(url: string): Promise<Connection> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(new Connection(socket));
      socket.onerror = () => reject(new Error(`CDP: cannot connect to ${url}`));
    });
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = this.#nextId++;
    this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) =>
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject })
    );
  }

  on(method: string, listener: Listener): void {
    if (!this.#listeners.has(method)) this.#listeners.set(method, new Set());
    this.#listeners.get(method)!.add(listener);
  }

  close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.onclose = () => resolve();
      this.#socket.close();
    });
  }
}

/** An open tab. */
export interface Page {
  /** Uncaught exceptions, console errors and browser log errors (e.g. CSP). */
  errors: string[];
  /** URLs the main frame navigated to after the first load. */
  navigations: string[];
  /** Evaluates `expression` in the page (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; returns how long that took in ms. */
  waitFor(expression: string, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

/** A running Chromium. */
export interface Browser {
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

async function devtoolsUrl(stderr: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Chromium exited before DevTools was ready:\n${text}`);
    text += value;
    const match = text.match(/DevTools listening on (ws:\/\/\S+)/);
    if (match) {
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return match[1];
    }
  }
}

/** Starts Chromium at `executablePath` with a throw-away profile. */
export async function launchChromium(executablePath = "/usr/bin/chromium"): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "freshet-chromium-" });
  const child = new Deno.Command(executablePath, {
    args: [...CHROMIUM_ARGS, "--remote-debugging-port=0", `--user-data-dir=${profile}`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let cdp: Connection;
  try {
    cdp = await Connection.open(await devtoolsUrl(child.stderr));
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  }

  return {
    async open(url) {
      const { targetId } = await cdp.send<{ targetId: string }>("Target.createTarget", {
        url: "about:blank",
      });
      const { sessionId } = await cdp.send<{ sessionId: string }>("Target.attachToTarget", {
        targetId,
        flatten: true,
      });
      const page: Page = {
        errors: [],
        navigations: [],
        async evaluate<T>(expression: string) {
          const { result, exceptionDetails } = await cdp.send<{
            result: { value: T };
            exceptionDetails?: { text: string };
          }>(
            "Runtime.evaluate",
            { expression, awaitPromise: true, returnByValue: true },
            sessionId,
          );
          if (exceptionDetails) throw new Error(`in page: ${exceptionDetails.text}`);
          return result.value;
        },
        async waitFor(expression, timeoutMs) {
          const started = Date.now();
          while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
            if (Date.now() - started > timeoutMs) {
              throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          return Date.now() - started;
        },
        async close() {
          await cdp.send("Target.closeTarget", { targetId });
        },
      };
      const mine = (listener: Listener): Listener => (params, session) => {
        if (session === sessionId) listener(params);
      };
      cdp.on("Runtime.exceptionThrown", mine((p) => page.errors.push(JSON.stringify(p))));
      cdp.on(
        "Runtime.consoleAPICalled",
        mine((p) => p.type === "error" && page.errors.push(JSON.stringify(p.args))),
      );
      cdp.on(
        "Log.entryAdded",
        mine((p) => {
          const entry = p.entry as { level: string; text: string; url?: string };
          if (entry.level === "error") page.errors.push(`${entry.text} ${entry.url ?? ""}`.trim());
        }),
      );
      let loaded = false;
      const load = new Promise<void>((resolve) =>
        cdp.on("Page.loadEventFired", mine(() => resolve()))
      );
      cdp.on(
        "Page.frameNavigated",
        mine((p) => {
          const frame = p.frame as { parentId?: string; url: string };
          if (!frame.parentId && loaded) page.navigations.push(frame.url);
        }),
      );
      for (const domain of ["Page", "Runtime", "Log"]) {
        await cdp.send(`${domain}.enable`, {}, sessionId);
      }
      await cdp.send("Page.navigate", { url }, sessionId);
      await load;
      loaded = true;
      return page;
    },
    async close() {
      await cdp.send("Browser.close").catch(() => {});
      await cdp.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await child.status;
      clearTimeout(timer);
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
