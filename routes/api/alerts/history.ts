/**
 * `GET /api/alerts/history?limit=&before=&rule=`: the alerts' history,
 * newest first (fired, repeated, resolved, silenced, tests, rules
 * applied), `before` an event id for older pages (viewer).
 */
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";
import { alertsWeb } from "../../../services/alerts/mod.ts";
import { listEvents } from "../../../services/alerts/alert_store.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

function integer(text: string | null, name: string, max: number): number | undefined {
  if (text === null || text === "") return undefined;
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new HttpError(400, `${name}: expected an integer from 1 to ${max}`);
  }
  return Number(text);
}

/** GET: one page of the history. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const q = ctx.url.searchParams;
    const events = listEvents(ctx.services.part(alertsWeb).db(), {
      limit: integer(q.get("limit"), "limit", 1_000) ?? 100,
      before: integer(q.get("before"), "before", Number.MAX_SAFE_INTEGER),
      rule: q.get("rule") || undefined,
    });
    return Response.json({ events }, { headers: { "cache-control": "no-store" } });
  },
};
