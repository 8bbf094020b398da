/** `GET /api/demands/:id`: one demand as this doctor sees it; 404 when it never arrived. */
import { getDemand } from "../../../services/demands/doctor_db.ts";
import { doctorOf, notFound } from "../../../services/demands/web/web.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the demand. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const demand = getDemand(doctorOf(ctx.services).db, ctx.params.id);
    if (!demand) throw notFound(ctx.params.id);
    return Response.json(demand);
  },
};
