/**
 * `POST /api/demands/:id/ignore`: this doctor passes on a pending demand.
 * Only the status changes (`ignored`); nothing is sent to Kafka. Any other
 * status: 409 with `current`. Unknown: 404.
 */
import { decisionHandler } from "../../../../services/demands/web/decision_route.ts";
import type { RouteAccess } from "../../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: ignore the demand. */
export const handler = decisionHandler("ignore");
