/**
 * The message browser of `/console/topics/:topic/messages`: the form, the
 * page of messages, the older/newer links and the export. Rendered on the
 * server (a plain GET form: it works without JavaScript, a search then
 * runs within its budget before the page answers). Hydrated, a filtered
 * search streams its progress over SSE — scanned, matched, elapsed, each
 * partition's position — and a Cancel button stops it; "Export shown" saves
 * exactly the messages on screen as JSON.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ScanProgress } from "../services/console/messages/browse_types.ts";
import { BrowseForm } from "../services/console/messages/web/browse_form.tsx";
import { MessageList } from "../services/console/messages/web/message_list.tsx";
import type { PageJson } from "../services/console/messages/web/page_json.ts";
import { ExportLinks } from "../services/console/export/web/export_links.tsx";

/** Props of MessageBrowser. */
export interface MessageBrowserProps {
  topic: string;
  partitions: number[];
  /** The query's values, by parameter name. */
  values: Record<string, string>;
  /** The page the server read (none when the query was refused). */
  page?: PageJson;
  /** Why the query was refused. */
  error?: string;
}

type Search =
  | { state: "idle" }
  | { state: "running"; progress?: ScanProgress }
  | { state: "cancelled"; progress?: ScanProgress }
  | { state: "failed"; message: string };

const FILTERS = ["key", "value", "header", "headerValue"];
const STOPS: Record<string, string> = {
  limit: "found enough matches for a page",
  end: "reached the end of the range",
  messages: "spent its message budget",
  time: "spent its time budget",
  cancelled: "was cancelled",
};

const count = (n: number) => n.toLocaleString("en-US");
const pagePath = (topic: string) => `/console/topics/${encodeURIComponent(topic)}/messages`;
const apiPath = (topic: string) => `/api/topics/${encodeURIComponent(topic)}/messages`;

/** A link of the API (as a search's page carries) as the same link on this page. */
function onPage(topic: string, link: string): string {
  return link.startsWith(apiPath(topic))
    ? pagePath(topic) + link.slice(apiPath(topic).length)
    : link;
}

function Progress({ progress }: { progress: ScanProgress }) {
  return (
    <div class="scan-progress">
      <p>
        Scanned <strong data-scanned>{count(progress.scanned)}</strong> message(s), matched{" "}
        <strong data-matched>{count(progress.matched)}</strong>, in{" "}
        {(progress.elapsedMs / 1000).toFixed(1)} s.
      </p>
      <table class="positions">
        <thead>
          <tr>
            <th class="num">Partition</th>
            <th class="num">Position</th>
            <th class="num">Start</th>
            <th class="num">End</th>
          </tr>
        </thead>
        <tbody>
          {progress.partitions.map((p) => (
            <tr>
              <td class="num">{p.partition}</td>
              <td class="num">{count(p.position)}</td>
              <td class="num">{count(p.low)}</td>
              <td class="num">{count(p.high)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ page, topic }: { page: PageJson; topic: string }) {
  const everywhere = new URLSearchParams(page.links.newer.split("?")[1] ?? "");
  everywhere.set("everyPartition", "1");
  for (const name of ["seek", "positions"]) everywhere.delete(name);
  return (
    <>
      {page.keyPartition && (
        <p class="key-partition" role="note">
          Exact key: only partition <strong>{page.keyPartition.partition}</strong> of{" "}
          {page.keyPartition.partitions}{" "}
          was read — the partition murmur2 of the key gives, where producers using the default
          partitioner put it.{" "}
          <a href={`${pagePath(topic)}?${everywhere}`}>Search every partition</a>
        </p>
      )}
      {page.scan && (
        <p class="scan-summary" data-stop={page.scan.stop}>
          Searched {count(page.scan.scanned)} message(s), {count(page.scan.matched)} matched, in
          {" "}
          {(page.scan.elapsedMs / 1000).toFixed(1)} s; the search {STOPS[page.scan.stop]}.
        </p>
      )}
    </>
  );
}

function exportShown(topic: string, page: PageJson) {
  const blob = new Blob([JSON.stringify({ topic, messages: page.messages }, null, 2)], {
    type: "application/json",
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${topic}-messages.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** The browser. */
export default function MessageBrowser(props: MessageBrowserProps) {
  const { topic } = props;
  const [page, setPage] = useState(props.page);
  const [values, setValues] = useState(props.values);
  const [search, setSearch] = useState<Search>({ state: "idle" });
  const [hydrated, setHydrated] = useState(false);
  const source = useRef<EventSource | undefined>(undefined);
  useEffect(() => {
    setHydrated(true);
    // A search holds a connection: leaving the page (or the back/forward cache keeping it) cancels it.
    const onHide = () => {
      if (source.current) cancel();
    };
    addEventListener("pagehide", onHide);
    return () => {
      removeEventListener("pagehide", onHide);
      source.current?.close();
    };
  }, []);

  const stop = () => {
    source.current?.close();
    source.current = undefined;
  };

  const onSubmit = (event: SubmitEvent) => {
    const form = event.currentTarget as HTMLFormElement;
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value !== "") query.set(name, value);
    }
    if (!FILTERS.some((name) => query.has(name))) return; // a plain page: the server answers fast
    event.preventDefault();
    stop();
    setValues(Object.fromEntries(query));
    history.replaceState(null, "", `${pagePath(topic)}?${query}`);
    setSearch({ state: "running" });
    const events = new EventSource(`${apiPath(topic)}/search?${query}`);
    source.current = events;
    events.addEventListener("progress", (e) => {
      setSearch({ state: "running", progress: JSON.parse((e as MessageEvent).data) });
    });
    events.addEventListener("page", (e) => {
      stop();
      setPage(JSON.parse((e as MessageEvent).data));
      setSearch({ state: "idle" });
    });
    events.addEventListener("error", (e) => {
      const data = (e as MessageEvent).data;
      stop();
      setSearch({
        state: "failed",
        message: data ? JSON.parse(data).message : "the search stream was interrupted",
      });
    });
  };

  function cancel() {
    stop();
    setPage(undefined);
    setSearch((s) => ({
      state: "cancelled",
      progress: s.state === "running" ? s.progress : undefined,
    }));
  }

  return (
    <div class="message-browser" data-hydrated={hydrated ? "yes" : "no"}>
      <BrowseForm
        action={pagePath(topic)}
        partitions={props.partitions}
        values={values}
        onSubmit={onSubmit}
      />
      {props.error && <p class="problems" role="alert">{props.error}</p>}
      {search.state === "running" && (
        <section class="search" aria-live="polite" data-search="running">
          <p>
            Searching… <button type="button" onClick={cancel}>Cancel</button>
          </p>
          {search.progress && <Progress progress={search.progress} />}
        </section>
      )}
      {search.state === "cancelled" && (
        <section class="search" data-search="cancelled">
          <p>
            Search cancelled: no message is shown (the search stopped before it found a page).{" "}
            <a href={pagePath(topic)}>Newest messages</a>
          </p>
          {search.progress && <Progress progress={search.progress} />}
        </section>
      )}
      {search.state === "failed" && <p class="problems" role="alert">{search.message}</p>}
      {page && search.state !== "running" && (
        <section class="results" aria-label="Messages" data-order={page.order}>
          <Summary page={page} topic={topic} />
          <p class="pager">
            {page.links.older && <a href={onPage(topic, page.links.older)} rel="prev">← Older</a>}
            <a href={onPage(topic, page.links.newer)} rel="next">Newer →</a>
            <a href={page.links.export} download>Export JSON</a>
            <ExportLinks topic={topic} values={values} />
            {hydrated && (
              <button
                type="button"
                class="export-shown"
                onClick={() => exportShown(topic, page)}
              >
                Export shown
              </button>
            )}
          </p>
          <MessageList
            messages={page.messages}
            empty={page.atEnd && page.order === "oldest-first"
              ? "No newer messages yet."
              : "No messages here."}
          />
        </section>
      )}
    </div>
  );
}
