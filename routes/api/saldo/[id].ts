/**
 * `GET /api/saldo/:id` (seed 003's `GET /saldo/{id}`): 200
 * `{cliente_id, saldo, timestamp}`, or 404 `{error: "cliente não encontrado"}`
 * exactly as the seed answers. Also at `/api/balances/:id` and `/saldo/:id` (aliases: services/balances/mod.ts).
 */
import { parseAccountId } from "../../../services/balances/balance.ts";
import { toApiBalance } from "../../../services/balances/balance_row.ts";
import { getBalance } from "../../../services/balances/balances_db.ts";
import { balancesDb } from "../../../services/balances/web/web_db.ts";
import { type Handlers, HttpError, type RouteAccess } from "../../../shared/web/mod.ts";

const NO_STORE = { "cache-control": "no-store" };

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the account's balance. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const parsed = parseAccountId(ctx.params.id);
    if (!parsed.ok) throw new HttpError(400, parsed.error);
    const row = getBalance(balancesDb(ctx.services), parsed.id);
    if (!row) {
      return Response.json({ error: "cliente não encontrado" }, { status: 404, headers: NO_STORE });
    }
    return Response.json(toApiBalance(row), { headers: NO_STORE });
  },
};
