/**
 * An export's query: the message browser's (services/console/messages/
 * browse_query.ts: partition, filters, everyPartition, the search budget
 * `maxMessages`/`maxMs`), `format` (`ndjson`, the default, or `csv`), and a
 * start that reads forward — `seek=oldest` (the default), `offset`,
 * `timestamp`, or `after` with `positions` (what an export's last line
 * gives to resume). The browser's page size (`limit`) does not apply, and
 * the budget defaults to the largest a search may ask for (20,000,000
 * records read, 60 s): a download is expected whole.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { formatPositions, parseBrowseQuery } from "../messages/browse_query.ts";
import { type BrowseRequest, MAX_BUDGET } from "../messages/browse_types.ts";
import { EXPORT_FORMATS, type ExportFormat } from "./export_format.ts";

/** The export `url` asks for on `topic`; 400 listing every problem. */
export function exportRequest(
  topic: string,
  url: URL,
): { request: BrowseRequest; format: ExportFormat } {
  const params = new URLSearchParams(url.searchParams);
  const problems: string[] = [];
  const format = (params.get("format") || "ndjson") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    problems.push(`format: expected ${EXPORT_FORMATS.join(" or ")}`);
  }
  const seek = params.get("seek") || "oldest";
  if (seek === "newest" || seek === "before") {
    problems.push(
      "seek: an export reads forward to the end — oldest (default), offset, timestamp, or after positions",
    );
  }
  params.set("seek", seek);
  params.delete("limit");
  // A download is expected whole: unless the query says otherwise, the largest search budget.
  if (!params.get("maxMessages")) params.set("maxMessages", String(MAX_BUDGET.maxMessages));
  if (!params.get("maxMs")) params.set("maxMs", String(MAX_BUDGET.maxMs));
  const parsed = parseBrowseQuery(params);
  if (!parsed.ok) problems.push(...parsed.problems);
  if (problems.length > 0 || !parsed.ok) {
    throw new HttpError(400, `bad export query: ${problems.join("; ")}`);
  }
  return { request: { topic, ...parsed.request }, format };
}

/** The URL exporting the rest of `url`'s export from `positions`. */
export function resumeUrl(url: URL, positions: Record<number, number>): string {
  const next = new URLSearchParams(url.searchParams);
  for (const name of ["seek", "offset", "timestamp", "positions"]) next.delete(name);
  next.set("seek", "after");
  next.set("positions", formatPositions(positions));
  return `${url.pathname}?${next}`;
}
