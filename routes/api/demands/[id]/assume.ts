/**
 * `POST /api/demands/:id/assume`: this doctor takes a pending demand. The
 * status becomes `assumed` and `demands.assumed` `{id, doctor, assumedAt}`
 * is written to the outbox in the same transaction (the doctor consumer
 * relays it): 200 with the demand. Asking again once assumed: 200, no
 * second event. Any other status: 409 with `current`. Unknown: 404.
 * Which doctor really has it is decided by the log: the first
 * `demands.assumed` of the demand wins, for every doctor.
 */
import { decisionHandler } from "../../../../services/demands/web/decision_route.ts";
import type { RouteAccess } from "../../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** POST: assume the demand. */
export const handler = decisionHandler("assume");
