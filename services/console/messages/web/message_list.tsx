/**
 * Messages as the console shows them, on the server and in islands alike:
 * one dense row per message — time, partition, offset, key and value
 * previews, headers count, size — that opens (a click, or Enter on the
 * focused row: it is a `<details>`, so it works without JavaScript) to
 * the whole message: key, value (JSON pretty-printed, text, or hex for
 * binary; a tombstone said as such; a cut value with a link to all of it),
 * headers, schema and CloudEvent views, with copy buttons for the key, the
 * value, the headers and the permalink. Every byte from Kafka is rendered
 * as text by Preact: nothing is ever parsed as markup.
 */
import type { BytesView } from "../message_view.ts";
import type { CloudEventView } from "../cloud_event_view.ts";
import type { MessageJson } from "./page_json.ts";
import { Time } from "../../../../shared/web/time.tsx";
import { CopyButton } from "../../../../shared/web/copy_button.tsx";
import { formatBytes } from "../../../../shared/web/units.ts";

/** Characters of a key or value a row shows. */
const PREVIEW_CHARS = 160;

/** One line of `text` (whitespace runs collapsed), cut to `PREVIEW_CHARS`. */
export function preview(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
}

function Bytes({ view, what }: { view: BytesView; what: string }) {
  return (
    <pre class={`bytes bytes-${view.kind}`} data-field={what}>
      {view.kind === "binary" && <span class="kind">hex </span>}
      {view.text}
    </pre>
  );
}

function CloudEvent({ event }: { event: CloudEventView }) {
  return (
    <div class="cloud-event" data-mode={event.mode}>
      <p class="muted">
        {event.mode === "structured"
          ? "Structured mode: the event is the value"
          : "Binary mode: the attributes are headers, the data is the value"}
      </p>
      {event.problem && <p class="warn">{event.problem}</p>}
      <table class="headers">
        <tbody>
          {Object.entries(event.attributes).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {event.data !== undefined && (
        event.data === null
          ? <span class="muted">no data</span>
          : <Bytes view={event.data} what="cloudevent-data" />
      )}
    </div>
  );
}

/** The headers as one JSON object (a name given twice keeps its values in a list). */
function headersJson(m: MessageJson): string {
  const out: Record<string, string | null | (string | null)[]> = {};
  for (const h of m.headers) {
    const value = h.value ? h.value.text : null;
    const seen = out[h.name];
    out[h.name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return JSON.stringify(out, null, 2);
}

/** The whole message: copy buttons, key, value, decoded views, headers. */
export function MessageBody({ message: m }: { message: MessageJson }) {
  return (
    <div class="msg-body">
      <p class="msg-tools">
        <a href={m.links.self} class="permalink" title="Permalink">
          partition {m.partition} · offset {m.offset}
        </a>{" "}
        <Time at={m.timestamp} /> · {m.size.toLocaleString("en-US")} B{" "}
        {m.key && <CopyButton text={m.key.text} label="Copy key" />}{" "}
        {m.value && <CopyButton text={m.value.text} label="Copy value" />}{" "}
        {m.headers.length > 0 && <CopyButton text={headersJson(m)} label="Copy headers" />}{" "}
        <CopyButton text={m.links.self} label="Copy permalink" url />
      </p>
      <dl>
        <dt>Key</dt>
        <dd>{m.key ? <Bytes view={m.key} what="key" /> : <span class="muted">no key</span>}</dd>
        <dt>Value</dt>
        <dd>
          {m.value
            ? (
              <>
                <Bytes view={m.value} what="value" />
                {m.value.truncated && (
                  <p class="truncated">
                    Showing the first 20 KB of {m.value.size.toLocaleString("en-US")} bytes:{" "}
                    <a href={m.links.value}>the whole value</a>
                  </p>
                )}
              </>
            )
            : <span class="tombstone">tombstone (null value)</span>}
        </dd>
        {m.schema && (
          <>
            <dt>Decoded</dt>
            <dd class="schema-value" data-schema-id={m.schema.schemaId}>
              <p class="muted">
                {m.schema.schemaType ?? "Schema Registry"} value, schema id {m.schema.schemaId}
                {m.schema.schemaId >= 0 && (
                  <>
                    {" "}
                    (<a href={`/console/schemas/ids/${m.schema.schemaId}`}>schema</a>)
                  </>
                )}
              </p>
              {m.schema.problem && <p class="warn">{m.schema.problem}</p>}
              {m.schema.value && <Bytes view={m.schema.value} what="decoded" />}
            </dd>
          </>
        )}
        {m.cloudEvent && (
          <>
            <dt>CloudEvent</dt>
            <dd>
              <CloudEvent event={m.cloudEvent} />
            </dd>
          </>
        )}
        {m.headers.length > 0 && (
          <>
            <dt>Headers</dt>
            <dd>
              <table class="headers">
                <tbody>
                  {m.headers.map((h) => (
                    <tr>
                      <th scope="row">{h.name}</th>
                      <td>{h.value ? h.value.text : <span class="muted">null</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** One message as a row that opens to all of it (`open`: shown open). */
export function MessageRow({ message: m, open }: { message: MessageJson; open?: boolean }) {
  return (
    <details class="message" data-partition={m.partition} data-offset={m.offset} open={open}>
      <summary class="msg-row">
        <span class="msg-time">
          <Time at={m.timestamp} />
        </span>
        <span class="msg-partition num">{m.partition}</span>
        <span class="msg-offset num">{m.offset}</span>
        <span class="msg-key" title={m.key ? undefined : "no key"}>
          {m.key ? preview(m.key.text) : <span class="muted">—</span>}
        </span>
        <span class="msg-value">
          {m.value ? preview(m.value.text) : <span class="tombstone">tombstone</span>}
        </span>
        <span class="msg-headers num" title={`${m.headers.length} header(s)`}>
          {m.headers.length > 0 ? m.headers.length : ""}
        </span>
        <span class="msg-size num">{formatBytes(m.size)}</span>
      </summary>
      <MessageBody message={m} />
    </details>
  );
}

/** A message on its own (the permalink page): its row, open. */
export function MessageCard({ message }: { message: MessageJson }) {
  return (
    <div class="messages">
      <MessageRow message={message} open />
    </div>
  );
}

/** A list of messages (or what to say when there are none). */
export function MessageList({ messages, empty }: { messages: MessageJson[]; empty: string }) {
  if (messages.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="messages">
      <div class="msg-row msg-head" aria-hidden="true">
        <span>Time</span>
        <span class="num">P</span>
        <span class="num">Offset</span>
        <span>Key</span>
        <span>Value</span>
        <span class="num">Headers</span>
        <span class="num">Size</span>
      </div>
      {messages.map((m) => <MessageRow key={`${m.partition}:${m.offset}`} message={m} />)}
    </div>
  );
}
