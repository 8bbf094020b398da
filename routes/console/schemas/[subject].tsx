/** `/console/schemas/:subject`: every version of a subject, newest first, with its id, type and schema. */
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import {
  registryOrFail,
  type SchemaVersion,
  subjectVersions,
} from "../../../services/console/schemas/subjects.ts";
import { SchemaCard } from "../../../services/console/schemas/web/schema_card.tsx";
import type { Handlers, PageProps, RouteAccess } from "../../../shared/web/mod.ts";

/** The page title. */
export const title = "Subject · Schemas · Console · Freshet";

interface SubjectPage {
  subject: string;
  versions: SchemaVersion[];
}

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the versions, or 404. */
export const handler: Handlers<SubjectPage> = {
  async GET(_req, ctx) {
    const subject = ctx.params.subject;
    return ctx.render({ subject, versions: await subjectVersions(registryOrFail(), subject) });
  },
};

/** The page. */
export default function Subject({ data, url, state }: PageProps<SubjectPage>) {
  return (
    <main class="page">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">{data.subject}</h1>
      <p class="muted">
        {data.versions.length} version(s) · <a href="/console/schemas">all subjects</a>
      </p>
      {data.versions.map((v) => <SchemaCard key={v.version} schema={v} />)}
    </main>
  );
}
