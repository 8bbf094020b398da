/**
 * `GET /api/alerts/silences`: the newest silences, in force or not
 * (viewer). `POST /api/alerts/silences` `{rule, instance?, duration |
 * endsAt, comment}`: holds back the notifications of the alerts it
 * matches until then (operator, audited as `alerts.silence`).
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";
import { alertsWeb } from "../../../services/alerts/mod.ts";
import { listSilences } from "../../../services/alerts/silences.ts";
import { silenceAction } from "../../../services/alerts/web/alert_actions.ts";
import { toHttpError } from "../../../shared/web/error_response.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "alerts.silence" },
};

/** GET: the silences; POST: a new one. */
export const handler: Handlers = {
  GET(_req, ctx) {
    return Response.json({ silences: listSilences(ctx.services.part(alertsWeb).db()) });
  },
  async POST(req, ctx) {
    const raw = await readJsonBody(req);
    const input = raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
    try {
      return Response.json(silenceAction(ctx, input), { status: 201 });
    } catch (error) {
      const http = toHttpError(error);
      if (http.status === 400 && Array.isArray(http.cause)) {
        return problemsResponse("no silence was added", http.cause);
      }
      throw http;
    }
  },
};
