/**
 * `GET /api/cluster` (viewer): the cluster at a glance as JSON —
 * brokers (rack, address, release, log directories), the KRaft controller
 * and quorum, features, the partitions under-replicated, offline or under
 * min ISR, and each topic's size on disk per broker
 * (services/console/cluster/cluster_overview.ts). `?fresh=1` reads it now
 * instead of reusing one at most 5 s old.
 */
import type { Handlers, RouteAccess } from "../../shared/web/mod.ts";
import { readClusterOverview } from "../../services/console/cluster/cluster_read.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the overview. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const overview = await readClusterOverview(ctx.services, {
      fresh: ctx.url.searchParams.get("fresh") === "1",
    });
    return Response.json(overview, { headers: { "cache-control": "no-store" } });
  },
};
