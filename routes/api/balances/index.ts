/**
 * `GET /api/balances?limit=N`: the most recently changed balances (default
 * 100, at most 500), the number of accounts and the consumer's counters.
 */
import { countBalances, listBalances, readStats } from "../../../services/balances/balances_db.ts";
import { balancesDb } from "../../../services/balances/web/web_db.ts";
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";

/** Most rows one request returns. */
const MAX_LIMIT = 500;

function parseLimit(url: URL): number {
  const raw = url.searchParams.get("limit");
  if (raw === null || raw === "") return 100;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new HttpError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the list, newest first. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const limit = parseLimit(ctx.url);
    const db = balancesDb(ctx.services);
    return Response.json({
      accounts: countBalances(db),
      balances: listBalances(db, limit),
      stats: readStats(db),
    }, { headers: { "cache-control": "no-store" } });
  },
};
