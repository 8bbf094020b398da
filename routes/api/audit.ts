/**
 * `GET /api/audit?limit=&before=&action=`: the audit log, newest first
 * (viewer). `next` is the query of the next page, when there may be one.
 */
import type { Handlers, RouteAccess } from "../../shared/web/mod.ts";
import { consoleDb, listAudit } from "../../shared/web/auth/mod.ts";
import { parseAuditQuery } from "../../services/console/web/audit_query.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: one page of the log. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const query = parseAuditQuery(ctx.url);
    const entries = listAudit(consoleDb(ctx.services), query);
    const last = entries.at(-1);
    const next = entries.length === query.limit && last
      ? `/api/audit?${new URLSearchParams({
        limit: String(query.limit),
        before: String(last.id),
        ...(query.action ? { action: query.action } : {}),
      })}`
      : null;
    return Response.json({ entries, next }, { headers: { "cache-control": "no-store" } });
  },
};
