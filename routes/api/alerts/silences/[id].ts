/**
 * `DELETE /api/alerts/silences/:id`: ends a silence now (operator,
 * audited as `alerts.unsilence`; 404 when no silence of that id is in force).
 */
import { type Handlers, HttpError, type RouteAccess } from "../../../../shared/web/mod.ts";
import { unsilenceAction } from "../../../../services/alerts/web/alert_actions.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { DELETE: { role: "operator", audit: "alerts.unsilence" } };

/** DELETE: end it. */
export const handler: Handlers = {
  DELETE(_req, ctx) {
    const id = Number(ctx.params.id);
    if (!/^\d{1,15}$/.test(ctx.params.id ?? "")) throw new HttpError(404, "no such silence");
    return Response.json(unsilenceAction(ctx, id));
  },
};
