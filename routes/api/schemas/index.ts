/** `GET /api/schemas`: the Schema Registry's subjects, each with its versions and latest schema's id and type. */
import { listSubjects, registryOrFail } from "../../../services/console/schemas/subjects.ts";
import type { Handlers } from "../../../shared/web/mod.ts";

/** GET: the subjects. */
export const handler: Handlers = {
  async GET() {
    return Response.json({ subjects: await listSubjects(registryOrFail()) });
  },
};
