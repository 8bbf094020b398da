/** `GET /api/schemas`: the Schema Registry's subjects, each with its versions and latest schema's id and type. */
import { listSubjects, registryOrFail } from "../../../services/console/schemas/subjects.ts";
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the subjects. */
export const handler: Handlers = {
  async GET() {
    return Response.json({ subjects: await listSubjects(registryOrFail()) });
  },
};
