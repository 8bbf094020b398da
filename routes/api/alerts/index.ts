/**
 * `GET /api/alerts`: every rule with its state and alerts, the rules
 * file's problems, the last evaluation, silences in force, the newest
 * deliveries and history (viewer; the data of /alerts).
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { alertsWeb } from "../../../services/alerts/mod.ts";
import { alertsOverview } from "../../../services/alerts/web/overview.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the overview. */
export const handler: Handlers = {
  GET(_req, ctx) {
    return Response.json(alertsOverview(ctx.services.part(alertsWeb)), {
      headers: { "cache-control": "no-store" },
    });
  },
};
