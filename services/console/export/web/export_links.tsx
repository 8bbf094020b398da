/**
 * The message browser's "Export all matching" links: the browser's query
 * (its filters and partition; a page cursor or a newest-first start
 * becomes the oldest offset, since an export reads forward to the end) as
 * an NDJSON or CSV download from GET /api/topics/:topic/messages/export.
 */

/** The export URL of the browser's `values` for `topic` in `format`. */
export function exportHref(
  topic: string,
  values: Record<string, string>,
  format: "ndjson" | "csv",
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== "" && !["limit", "download", "stream", "format"].includes(name)) {
      query.set(name, value);
    }
  }
  const seek = query.get("seek");
  if (!seek || seek === "newest" || seek === "before") {
    for (const name of ["seek", "positions", "offset", "timestamp"]) query.delete(name);
  }
  query.set("format", format);
  return `/api/topics/${encodeURIComponent(topic)}/messages/export?${query}`;
}

/** Props of ExportLinks. */
export interface ExportLinksProps {
  topic: string;
  values: Record<string, string>;
}

/** The two links. */
export function ExportLinks({ topic, values }: ExportLinksProps) {
  return (
    <span class="export-all" title="Every matching message to the end, within the search budget">
      Export all matching:{" "}
      <a href={exportHref(topic, values, "ndjson")} download data-export="ndjson">NDJSON</a>
      {" · "}
      <a href={exportHref(topic, values, "csv")} download data-export="csv">CSV</a>
    </span>
  );
}
