/**
 * How many long-lived streams (Server-Sent Events: a page's live updates,
 * a console search or live tail) one browser may hold at once. Over
 * HTTP/1.1 a browser opens at most six connections to one server; a
 * stream keeps one busy for as long as it runs, so six of them (six tabs
 * of live pages, pages kept by the back/forward cache) leave none for the
 * next page, which then waits until one closes (25–35 s seen in Chromium,
 * issue 20). Capping a browser's streams below that keeps pages loading;
 * the stream beyond the cap is refused with a message naming what holds
 * the others.
 *
 * A browser is told apart by its `freshet_browser` cookie, set on every
 * page it loads (browserCookieMiddleware), so its streams, which start from
 * a page, carry it. A client without the cookie is not a browser's page (a
 * script, curl) or refuses cookies: it is not counted here, as it shares no
 * browser's connections (the console's own per-user slots still apply).
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";
import type { WebEnv } from "./web_env.ts";

/** The cookie naming a browser. */
export const BROWSER_COOKIE = "freshet_browser";

/** Default streams per browser: two of HTTP/1.1's six connections stay free for pages. */
export const DEFAULT_STREAMS_PER_BROWSER = 4;

/** A stream a browser holds. */
export interface HeldStream {
  /** What it is, as the refusal names it: "live updates of /monitor". */
  what: string;
  startedAt: number;
}

/** A held slot; `release` is idempotent. */
export interface StreamSlot {
  release(): void;
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{16,64}$/;

/** The `freshet_browser` cookie's value in `req`, if well-formed. */
export function browserCookie(req: Request): string | undefined {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === BROWSER_COOKIE) {
      const value = rest.join("=");
      return COOKIE_VALUE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The key one browser's streams are counted under; undefined for a client without the cookie. */
export function browserKey(req: Request): string | undefined {
  const cookie = browserCookie(req);
  return cookie ? `cookie:${cookie}` : undefined;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + " UTC";
}

/** The streams of every browser, and the cap. */
export class ClientStreams {
  readonly #held = new Map<string, Set<HeldStream>>();

  constructor(readonly perBrowser: number = DEFAULT_STREAMS_PER_BROWSER) {
    if (!Number.isInteger(perBrowser) || perBrowser < 1) {
      throw new RangeError(`streams per browser must be a positive integer, got ${perBrowser}`);
    }
  }

  /** What `key` holds now. */
  held(key: string): HeldStream[] {
    return [...this.#held.get(key) ?? []];
  }

  /** Every browser's count, for /metrics and tests. */
  total(): number {
    let n = 0;
    for (const set of this.#held.values()) n += set.size;
    return n;
  }

  /**
   * A slot for `what`, or a 429 naming what the browser already holds
   * (retriable: a slot frees when a tab closes or hides). A client without
   * a key always gets one.
   */
  acquire(key: string | undefined, what: string, now = Date.now()): StreamSlot {
    if (key === undefined) return { release: () => {} };
    let set = this.#held.get(key);
    if (set && set.size >= this.perBrowser) {
      const list = [...set].map((s) => `${s.what} since ${clock(s.startedAt)}`).join("; ");
      throw new HttpError(
        429,
        `this browser already holds ${set.size} live streams, the most one browser may hold so ` +
          `that its pages keep loading (${list}); close a tab or stop a live tail, and this ` +
          "page reconnects by itself",
        { headers: { "Retry-After": "15" } },
      );
    }
    if (!set) this.#held.set(key, set = new Set());
    const stream: HeldStream = { what, startedAt: now };
    set.add(stream);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        set.delete(stream);
        if (set.size === 0 && this.#held.get(key) === set) this.#held.delete(key);
      },
    };
  }
}

/**
 * Middleware giving every browser that loads a page a `freshet_browser`
 * cookie (random, HttpOnly, SameSite=Strict, for the session), so its
 * streams are counted together whatever its address.
 */
export function browserCookieMiddleware(): MiddlewareHandler<WebEnv> {
  return async function browserCookieMiddleware(c, next) {
    await next();
    if (browserCookie(c.req.raw)) return;
    const type = c.res.headers.get("content-type") ?? "";
    if (!type.startsWith("text/html") && !type.startsWith("text/event-stream")) return;
    const id = crypto.randomUUID().replaceAll("-", "");
    c.res.headers.append(
      "set-cookie",
      `${BROWSER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`,
    );
  };
}
