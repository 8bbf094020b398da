/**
 * Live tail of a topic: Start opens a Server-Sent Events stream of the
 * messages arriving from now on; the server sends at most about 20 a
 * second and counts the rest as skipped, and the list keeps only the newest
 * `MAX_SHOWN`. Stop, leaving the page or closing the tab ends the stream
 * (the server then stops reading); the server ends it too after its time
 * limit, whose remaining time is shown while it runs. Needs JavaScript;
 * without it the page says so.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { MessageList } from "../services/console/messages/web/message_list.tsx";
import type { MessageJson } from "../services/console/messages/web/page_json.ts";

/** Props of LiveTail. */
export interface LiveTailProps {
  topic: string;
  partitions: number[];
  /** How long the server lets a tail run (FRESHET_TAIL_MAX_MINUTES), in ms. */
  limitMs: number;
}

/** Most messages kept on screen. */
const MAX_SHOWN = 200;

type TailState = "stopped" | "connecting" | "live" | "failed" | "ended";

function minutesAndSeconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The tail. */
export default function LiveTail({ topic, partitions, limitMs }: LiveTailProps) {
  const [state, setState] = useState<TailState>("stopped");
  const [messages, setMessages] = useState<MessageJson[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [received, setReceived] = useState(0);
  const [partition, setPartition] = useState("all");
  const [error, setError] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const [endsAt, setEndsAt] = useState(0);
  const [now, setNow] = useState(Date.now());
  const source = useRef<EventSource | undefined>(undefined);
  useEffect(() => {
    setHydrated(true);
    const clock = setInterval(() => setNow(Date.now()), 1000);
    // Leaving the page (or the back/forward cache keeping it) ends the tail: it holds a connection.
    const onHide = () => {
      if (!source.current) return;
      source.current.close();
      source.current = undefined;
      setState("stopped");
      setError("The live tail stopped when the page was left; start it again to go on.");
    };
    addEventListener("pagehide", onHide);
    return () => {
      clearInterval(clock);
      removeEventListener("pagehide", onHide);
      source.current?.close();
    };
  }, []);

  const stop = () => {
    source.current?.close();
    source.current = undefined;
    setState((s) => (s === "failed" ? s : "stopped"));
  };

  const start = () => {
    stop();
    setMessages([]);
    setSkipped(0);
    setReceived(0);
    setError("");
    setState("connecting");
    const query = partition === "all" ? "" : `?partition=${partition}`;
    const events = new EventSource(
      `/api/topics/${encodeURIComponent(topic)}/messages/tail${query}`,
    );
    source.current = events;
    events.addEventListener("open", (e) => {
      const data = (e as MessageEvent).data;
      if (data === undefined) return;
      setState("live");
      // The server's end time, on this clock: now + what the server gives.
      const opened = JSON.parse(data) as { limitMs: number };
      const at = Date.now();
      setNow(at);
      setEndsAt(at + opened.limitMs);
    });
    events.addEventListener("end", (e) => {
      source.current?.close();
      source.current = undefined;
      setError(JSON.parse((e as MessageEvent).data).message);
      setState("ended");
    });
    events.addEventListener("messages", (e) => {
      const batch = JSON.parse((e as MessageEvent).data) as {
        messages: MessageJson[];
        skipped: number;
      };
      setSkipped((n) => n + batch.skipped);
      setReceived((n) => n + batch.messages.length + batch.skipped);
      setMessages((list) => [...batch.messages.reverse(), ...list].slice(0, MAX_SHOWN));
    });
    events.addEventListener("error", (e) => {
      const data = (e as MessageEvent).data;
      source.current?.close();
      source.current = undefined;
      setError(data ? JSON.parse(data).message : "the live stream was interrupted");
      setState("failed");
    });
  };

  const running = state === "connecting" || state === "live";
  return (
    <div class="live-tail" data-hydrated={hydrated ? "yes" : "no"} data-state={state}>
      {!hydrated && <p class="muted">The live tail needs JavaScript.</p>}
      {hydrated && (
        <p>
          <label>
            Partition{" "}
            <select
              value={partition}
              disabled={running}
              onChange={(e) => setPartition((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="all">all</option>
              {partitions.map((p) => <option key={p} value={String(p)}>{p}</option>)}
            </select>
          </label>{" "}
          {running
            ? <button type="button" onClick={stop}>Stop</button>
            : <button type="button" onClick={start}>Start live tail</button>}{" "}
          <span class="tail-counts">
            {state === "live" && (
              <>
                live · <span data-remaining>stops in {minutesAndSeconds(endsAt - now)}</span> ·{" "}
              </>
            )}
            {received.toLocaleString("en-US")} received,{"  "}
            <span data-skipped>{skipped.toLocaleString("en-US")}</span>{" "}
            skipped (at most ~20 a second are shown; the newest {MAX_SHOWN} are kept)
          </span>
        </p>
      )}
      {hydrated && !running && state !== "ended" && (
        <p class="muted">
          A live tail stops by itself after {minutesAndSeconds(limitMs)}{" "}
          (minutes:seconds); start it again to go on.
        </p>
      )}
      {error && <p class={state === "ended" ? "notice" : "problems"} role="alert">{error}</p>}
      {hydrated && (
        <MessageList
          messages={messages}
          empty={running ? "Waiting for new messages…" : "Not tailing."}
        />
      )}
    </div>
  );
}
