/**
 * Live updates in an island: `useLiveEvents(["consumer"], onMessage)`
 * opens one EventSource on `/api/events?topics=…` while the island is
 * mounted and calls `onMessage` with every bus message. EventSource
 * reconnects by itself after a network error; the returned state says
 * whether the stream is open, so an island can show it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { BusMessage } from "../bus/bus.ts";

/** Connection state of a live stream. */
export type LiveState = "connecting" | "open" | "closed";

/** URL of the live stream for `topics` (all topics when empty). */
export function liveEventsUrl(topics: readonly string[]): string {
  if (topics.length === 0) return "/api/events";
  return `/api/events?topics=${encodeURIComponent(topics.join(","))}`;
}

/** Calls `onMessage` for each bus message of `topics`; returns the connection state. */
export function useLiveEvents(
  topics: readonly string[],
  onMessage: (message: BusMessage) => void,
): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const url = liveEventsUrl(topics);

  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => setState("open");
    source.onerror = () =>
      setState(source.readyState === EventSource.CLOSED ? "closed" : "connecting");
    source.onmessage = (event: MessageEvent<string>) => {
      let message: BusMessage;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      handler.current(message);
    };
    return () => source.close();
  }, [url]);

  return state;
}
