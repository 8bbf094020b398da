/**
 * `GET /api/groups/:group/members`: the group as the broker describes it
 * now — its type (`classic`, or `consumer` for KIP-848), state, epochs and
 * assignor, each member with its assignment (and, on the consumer
 * protocol, its epoch, subscription and target assignment) — read by the
 * console's principal. Open like the rest of `/api/groups` (the monitor's
 * group API shows the same members).
 */
import type { Handlers, RouteAccess } from "../../../../shared/web/mod.ts";
import { describeGroup } from "../../../../services/console/groups/group_detail.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the group, or 404. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const groupId = ctx.params.group;
    try {
      const admin = await ctx.services.part(consoleWeb).kafka.admin();
      const cluster = await ctx.services.part(consoleWeb).kafka.cluster();
      const { offsets: _offsets, ...group } = await describeGroup(admin, groupId, { cluster });
      return Response.json(group, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      throw consoleHttpError(error, `describing group ${groupId}`);
    }
  },
};
