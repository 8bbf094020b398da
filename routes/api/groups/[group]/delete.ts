/**
 * `POST /api/groups/:group/delete`: deletes an empty consumer group
 * (operator, audited; 409 while it has members). A POST under the group
 * rather than `DELETE /api/groups/:group`, which belongs to the monitor's
 * group API.
 */
import type { Handlers, RouteAccess } from "../../../../shared/web/mod.ts";
import { deleteGroupAction } from "../../../../services/console/groups/group_actions.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "group.delete" } };

/** POST: delete the group. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    const groupId = ctx.params.group;
    await deleteGroupAction(ctx, groupId).catch((e) => {
      throw consoleHttpError(e, `deleting group ${groupId}`);
    });
    return Response.json({ deleted: groupId });
  },
};
