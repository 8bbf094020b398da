/**
 * Live tail of a topic: Start opens a Server-Sent Events stream of the
 * messages arriving from now on; the server sends at most about 20 a
 * second and counts the rest as skipped, and the list keeps only the newest
 * `MAX_SHOWN`. Stop, leaving the page or closing the tab ends the stream
 * (the server then stops reading). Needs JavaScript; without it the page
 * says so.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { MessageList } from "../services/console/messages/web/message_list.tsx";
import type { MessageJson } from "../services/console/messages/web/page_json.ts";

/** Props of LiveTail. */
export interface LiveTailProps {
  topic: string;
  partitions: number[];
}

/** Most messages kept on screen. */
const MAX_SHOWN = 200;

type TailState = "stopped" | "connecting" | "live" | "failed";

/** The tail. */
export default function LiveTail({ topic, partitions }: LiveTailProps) {
  const [state, setState] = useState<TailState>("stopped");
  const [messages, setMessages] = useState<MessageJson[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [received, setReceived] = useState(0);
  const [partition, setPartition] = useState("all");
  const [error, setError] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const source = useRef<EventSource | undefined>(undefined);
  useEffect(() => {
    setHydrated(true);
    return () => source.current?.close();
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
      if ((e as MessageEvent).data !== undefined) setState("live");
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
            {state === "live" && "live · "}
            {received.toLocaleString("en-US")} received,{"  "}
            <span data-skipped>{skipped.toLocaleString("en-US")}</span>{" "}
            skipped (at most ~20 a second are shown; the newest {MAX_SHOWN} are kept)
          </span>
        </p>
      )}
      {error && <p class="problems" role="alert">{error}</p>}
      {hydrated && (
        <MessageList
          messages={messages}
          empty={running ? "Waiting for new messages…" : "Not tailing."}
        />
      )}
    </div>
  );
}
