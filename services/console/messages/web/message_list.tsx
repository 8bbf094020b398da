/**
 * Messages as the console shows them, on the server and in islands alike:
 * partition, offset, time, size, a permalink; the key; the value (JSON
 * pretty-printed, text, or hex for binary; a tombstone said as such; a cut
 * value with a link to all of it); the headers. Every byte from Kafka is
 * rendered as text by Preact: nothing is ever parsed as markup.
 */
import type { BytesView } from "../message_view.ts";
import type { CloudEventView } from "../cloud_event_view.ts";
import type { MessageJson } from "./page_json.ts";
import { Time } from "../../../../shared/web/time.tsx";

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

/** One message. */
export function MessageCard({ message }: { message: MessageJson }) {
  const m = message;
  return (
    <article class="message" data-partition={m.partition} data-offset={m.offset}>
      <header>
        <a href={m.links.self} class="permalink" title="Permalink">
          {m.partition}:{m.offset}
        </a>{" "}
        <Time at={m.timestamp} /> <span class="size">{m.size.toLocaleString("en-US")} B</span>
      </header>
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
    </article>
  );
}

/** A list of messages (or what to say when there are none). */
export function MessageList({ messages, empty }: { messages: MessageJson[]; empty: string }) {
  if (messages.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="messages">
      {messages.map((m) => <MessageCard key={`${m.partition}:${m.offset}`} message={m} />)}
    </div>
  );
}
