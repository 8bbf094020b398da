/** The `:id` of a replay's routes. */
import { HttpError } from "../../../../shared/web/http_error.ts";

/** `params.id` as a replay id; 404 for anything else. */
export function replayIdParam(params: Record<string, string>): number {
  const text = params.id ?? "";
  if (!/^\d{1,15}$/.test(text)) throw new HttpError(404, `no replay ${text}`);
  return Number(text);
}
