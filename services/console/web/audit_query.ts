/**
 * The audit log's query string, shared by `/console/audit` and
 * `GET /api/audit`: `limit` (1-500, default 100), `before` (an entry id:
 * the next page), `action` (an action or a prefix such as `topic`).
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import type { ListAuditOptions } from "../../../shared/web/auth/audit.ts";

/** Most entries one request returns. */
export const MAX_AUDIT_LIMIT = 500;

function integer(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The list options a request asks for; 400 for a malformed value. */
export function parseAuditQuery(url: URL): Required<Pick<ListAuditOptions, "limit">> & {
  beforeId?: number;
  action?: string;
} {
  const action = url.searchParams.get("action")?.trim() || undefined;
  if (action !== undefined && !/^[a-z][a-z0-9_.-]{0,60}$/.test(action)) {
    throw new HttpError(400, "action must be lower-case letters, digits, '.', '_' or '-'");
  }
  return {
    limit: integer(url, "limit", 1, MAX_AUDIT_LIMIT) ?? 100,
    beforeId: integer(url, "before", 1, Number.MAX_SAFE_INTEGER),
    action,
  };
}
