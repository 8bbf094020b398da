/** One schema version on the console's pages: version, id, type and its text (as text). */
import type { SchemaVersion } from "../subjects.ts";

/** The card. */
export function SchemaCard({ schema }: { schema: SchemaVersion }) {
  return (
    <article class="schema" data-schema-id={schema.id} data-version={schema.version}>
      <header>
        {schema.version !== undefined && <strong>Version {schema.version}</strong>} · id {schema.id}
        {" "}
        · {schema.schemaType}
      </header>
      <pre class="bytes bytes-json">{schema.schema}</pre>
    </article>
  );
}
