/** `GET /api/schemas/:subject`: every version of a subject, newest first (404 when unknown). */
import { registryOrFail, subjectVersions } from "../../../services/console/schemas/subjects.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the versions. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const subject = ctx.params.subject;
    return Response.json({ subject, versions: await subjectVersions(registryOrFail(), subject) });
  },
};
