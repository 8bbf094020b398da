/**
 * Live updates in islands: `useLiveEvents(["consumer"], onMessage)` calls
 * `onMessage` with every bus message of those topics. All the islands of a
 * page share ONE EventSource (`/api/events?topics=<union>`), opened once
 * they have mounted, so a page holds one of the browser's six HTTP/1.1
 * connections to the server however many islands it has. The stream is
 * closed when the page is hidden away — `pagehide` (left, or kept by the
 * back/forward cache) at once, a hidden tab after `HIDDEN_CLOSE_MS` — and
 * opened again on `pageshow` or when the tab shows; islands then get
 * `onResync` to fetch what they missed. A stream the server refuses (the
 * browser holds its share: shared/web/client_streams.ts) shows why, and is
 * tried again every `REFUSED_RETRY_MS` and whenever the page shows.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { BusMessage } from "../bus/bus.ts";

/**
 * Connection state of the page's live stream; `static` until the island
 * runs in a browser (the server's rendering, and a page without JavaScript).
 */
export type LiveState = "static" | "connecting" | "open" | "closed" | "paused" | "refused";

/** A hidden tab keeps its stream this long (a quick look at another tab costs nothing). */
export const HIDDEN_CLOSE_MS = 30_000;
/** A refused stream is asked for again this often while the page shows. */
export const REFUSED_RETRY_MS = 15_000;
/** Islands that mount within this long of each other share the first connection. */
const OPEN_DELAY_MS = 30;

/** URL of the live stream for `topics` (all topics when empty). */
export function liveEventsUrl(topics: readonly string[], page?: string): string {
  const query = new URLSearchParams();
  if (topics.length > 0) query.set("topics", topics.join(","));
  if (page) query.set("page", page);
  const text = query.toString().replaceAll("%2C", ",").replaceAll("%2F", "/");
  return text ? `/api/events?${text}` : "/api/events";
}

/** What an island asks of the page's stream. */
interface Subscriber {
  /** Topics wanted; empty for all. */
  topics: readonly string[];
  onMessage(message: BusMessage): void;
  onState(state: LiveState, reason: string): void;
  /** Messages may have been missed (the stream was closed or broken): fetch the current state. */
  onResync?(): void;
}

/** The page's one stream, shared by its islands. */
class PageStream {
  readonly #subscribers = new Set<Subscriber>();
  #source?: EventSource;
  #url = "";
  #state: LiveState = "connecting";
  #reason = "";
  /** Messages may have been missed since the stream last opened. */
  #gap = false;
  #openTimer?: ReturnType<typeof setTimeout>;
  #hiddenTimer?: ReturnType<typeof setTimeout>;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #listening = false;

  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    subscriber.onState(this.#state, this.#reason);
    this.#listen();
    this.#schedule();
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.#close("closed", "");
    };
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    addEventListener("pagehide", () => this.#close("paused", "paused while the page is away"));
    addEventListener("pageshow", (event) => {
      if ((event as PageTransitionEvent).persisted || !this.#source) this.#schedule();
    });
    document.addEventListener("visibilitychange", () => {
      clearTimeout(this.#hiddenTimer);
      if (document.visibilityState === "hidden") {
        this.#hiddenTimer = setTimeout(
          () => this.#close("paused", "paused while the tab is hidden"),
          HIDDEN_CLOSE_MS,
        );
      } else if (!this.#source) {
        this.#schedule();
      }
    });
  }

  /** Opens (or reopens for a wider set of topics) soon, once the islands mounting now are in. */
  #schedule(): void {
    clearTimeout(this.#openTimer);
    this.#openTimer = setTimeout(() => this.#open(), OPEN_DELAY_MS);
  }

  #urlNow(): string {
    const all = [...this.#subscribers].some((s) => s.topics.length === 0);
    const topics = all ? [] : [...new Set([...this.#subscribers].flatMap((s) => s.topics))].sort();
    return liveEventsUrl(topics, location.pathname);
  }

  #open(): void {
    clearTimeout(this.#retryTimer);
    if (this.#subscribers.size === 0) return;
    const url = this.#urlNow();
    if (this.#source && url === this.#url) return;
    if (this.#source) {
      this.#source.close();
      this.#gap = true;
    }
    this.#url = url;
    this.#setState("connecting", "");
    const source = this.#source = new EventSource(url);
    source.onopen = () => {
      this.#setState("open", "");
      if (this.#gap) {
        this.#gap = false;
        for (const s of this.#subscribers) s.onResync?.();
      }
    };
    source.addEventListener("error", (event) => {
      const data = (event as MessageEvent<string>).data;
      if (data) {
        // The server's refusal: shown, and asked again later (not at EventSource's pace).
        let message = "the server refused the live stream";
        try {
          message = JSON.parse(data).message ?? message;
        } catch { /* the default */ }
        this.#close("refused", message);
        this.#retryTimer = setTimeout(() => this.#open(), REFUSED_RETRY_MS);
        return;
      }
      this.#gap = true;
      if (source.readyState === EventSource.CLOSED) {
        // The server answered with something else than a stream: asked again later.
        this.#close("closed", "the live stream closed; retrying");
        this.#retryTimer = setTimeout(() => this.#open(), REFUSED_RETRY_MS);
      } else {
        this.#setState("connecting", "");
      }
    });
    source.onmessage = (event: MessageEvent<string>) => {
      let message: BusMessage;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      for (const s of this.#subscribers) {
        if (s.topics.length === 0 || s.topics.includes(message.topic)) s.onMessage(message);
      }
    };
  }

  #close(state: LiveState, reason: string): void {
    clearTimeout(this.#openTimer);
    clearTimeout(this.#retryTimer);
    if (this.#source) {
      this.#source.close();
      this.#source = undefined;
      this.#url = "";
      this.#gap = true;
    }
    this.#setState(state, reason);
  }

  #setState(state: LiveState, reason: string): void {
    this.#state = state;
    this.#reason = reason;
    for (const s of this.#subscribers) s.onState(state, reason);
  }
}

let pageStream: PageStream | undefined;

/** Options of `useLiveEvents`. */
export interface LiveOptions {
  /** Called when messages may have been missed (the stream was closed or broken, then opened). */
  onResync?: () => void;
}

/** The state of the page's stream and, when paused, refused or closed, why. */
export interface LiveStatus {
  state: LiveState;
  reason: string;
}

/** Calls `onMessage` for each bus message of `topics`; returns the stream's state. */
export function useLiveEvents(
  topics: readonly string[],
  onMessage: (message: BusMessage) => void,
  options: LiveOptions = {},
): LiveState {
  return useLiveStatus(topics, onMessage, options).state;
}

/** As `useLiveEvents`, with the reason of a paused, refused or closed stream. */
export function useLiveStatus(
  topics: readonly string[],
  onMessage: (message: BusMessage) => void,
  options: LiveOptions = {},
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>({ state: "static", reason: "" });
  const handlers = useRef({ onMessage, onResync: options.onResync });
  handlers.current = { onMessage, onResync: options.onResync };
  const key = topics.join(",");

  useEffect(() => {
    pageStream ??= new PageStream();
    return pageStream.subscribe({
      topics: key === "" ? [] : key.split(","),
      onMessage: (message) => handlers.current.onMessage(message),
      onState: (state, reason) => setStatus({ state, reason }),
      onResync: () => handlers.current.onResync?.(),
    });
  }, [key]);

  return status;
}
