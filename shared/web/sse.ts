/**
 * Live updates over Server-Sent Events: bus messages of the requested
 * topics, coalesced (see coalesce.ts). A connection writes at once when its
 * last write is at least `coalesceMs` old (an idle stream: no added
 * latency); otherwise the messages wait until then and go in one write (a
 * busy stream: at most one write per `coalesceMs`, ~60 a second by
 * default, whatever the rate of the topic). Each message is
 * one event whose data is the JSON `BusMessage`; an `event: dropped` tells
 * the client how many were dropped under a flood. A comment every
 * `heartbeatMs` keeps proxies from closing an idle stream (and lets the
 * server notice a client that vanished). The bus subscription ends when
 * the client goes away or the server shuts down.
 */
import type { BusMessage } from "../bus/bus.ts";
import { Coalescer } from "./coalesce.ts";
import type { BusSubscribe } from "./bus_subscribe.ts";

/**
 * Default `coalesceMs`: one frame of a 60 Hz screen. A page cannot show
 * updates faster; a wider window only adds latency (at 1,000 messages a
 * second a 100 ms window made the median update wait ~50 ms).
 */
export const DEFAULT_COALESCE_MS = 16;

/** Options of `eventStream`. */
export interface EventStreamOptions {
  /** Topics to relay; all when undefined. */
  topics?: ReadonlySet<string>;
  subscribe: BusSubscribe;
  coalesceMs: number;
  heartbeatMs: number;
  /** Ends the stream (server shutdown). */
  signal?: AbortSignal;
  /** Runs once when the stream ends, whatever the reason (to release its slot). */
  onClose?: () => void;
}

/** `data:` lines of one event (JSON has no raw newline, so one line). */
function encodeEvents(messages: BusMessage[], dropped: number): string {
  let text = dropped > 0 ? `event: dropped\ndata: ${dropped}\n\n` : "";
  for (const message of messages) text += `data: ${JSON.stringify(message)}\n\n`;
  return text;
}

/**
 * A `text/event-stream` response relaying the bus until the client goes
 * away (the server cancels the body stream; `Request.signal` is not used:
 * Deno.serve aborts it only after a response completes).
 */
export function eventStream(options: EventStreamOptions): Response {
  const encoder = new TextEncoder();
  const pending = new Coalescer();
  let lastFlush = 0;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  let close = () => {};
  let onClose = options.onClose;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const flush = () => {
        flushTimer = undefined;
        lastFlush = Date.now();
        const { messages, dropped } = pending.take();
        if (messages.length > 0 || dropped > 0) write(encodeEvents(messages, dropped));
      };
      close = () => {
        if (closed) return;
        cleanup();
        controller.close();
      };
      unsubscribe = options.subscribe((message) => {
        if (closed || (options.topics && !options.topics.has(message?.topic))) return;
        pending.add(message);
        flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + options.coalesceMs - Date.now()));
      });
      heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs);
      options.signal?.addEventListener("abort", close, { once: true });
      if (options.signal?.aborted) close();
      else write("retry: 2000\n: connected\n\n");
    },
    cancel() {
      cleanup();
    },
  });

  function cleanup() {
    closed = true;
    clearTimeout(flushTimer);
    clearInterval(heartbeat);
    unsubscribe?.();
    unsubscribe = undefined;
    options.signal?.removeEventListener("abort", close);
    const release = onClose;
    onClose = undefined;
    release?.();
  }

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
