/** The `range` query parameter of the monitor's pages and API. */
import { HttpError } from "../../../shared/web/http_error.ts";
import { parseRange, type RangeName, RANGES } from "../range.ts";

/** `?range=` of `url` (default `fallback`); 400 naming the accepted values otherwise. */
export function rangeParam(url: URL, fallback: RangeName): RangeName {
  const raw = url.searchParams.get("range");
  if (raw === null || raw === "") return fallback;
  const range = parseRange(raw);
  if (!range) {
    throw new HttpError(400, `range must be one of ${Object.keys(RANGES).join(", ")}`);
  }
  return range;
}
