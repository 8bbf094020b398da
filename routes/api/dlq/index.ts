/**
 * `GET /api/dlq` — every dead-letter topic (`*.dlq`): the topic it belongs
 * to, its dead-letter count and its newest arrivals, each with its reason
 * (error, code), original topic/partition/offset, time and redrive state.
 */
import { dlqTopics } from "../../../services/console/dlq/web/dlq_reads.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the list. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    return Response.json({ topics: await dlqTopics(ctx.services) });
  },
};
