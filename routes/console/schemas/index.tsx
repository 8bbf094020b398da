/**
 * `/console/schemas`: the Schema Registry's subjects (the deployment's
 * `SCHEMA_REGISTRY_URL`), each with its versions and its latest schema's
 * id and type.
 */
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import {
  listSubjects,
  registryOrFail,
  type SubjectSummary,
} from "../../../services/console/schemas/subjects.ts";
import type { Handlers, PageProps, RouteAccess } from "../../../shared/web/mod.ts";

/** The page title. */
export const title = "Schemas · Console · Freshet";

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the subjects. */
export const handler: Handlers<{ url: string; subjects: SubjectSummary[] }> = {
  async GET(_req, ctx) {
    const values = registryOrFail();
    return ctx.render({ url: values.client.baseUrl, subjects: await listSubjects(values) });
  },
};

/** The page. */
export default function Schemas(
  { data, url, state }: PageProps<{ url: string; subjects: SubjectSummary[] }>,
) {
  return (
    <main class="page">
      <ConsoleNav url={url} state={state} />
      <h1>Schemas</h1>
      <p class="muted">Subjects of the Schema Registry at {data.url}.</p>
      {data.subjects.length === 0 ? <p class="empty">No subject.</p> : (
        <table class="subjects">
          <thead>
            <tr>
              <th>Subject</th>
              <th>Type</th>
              <th class="num">Versions</th>
              <th class="num">Latest id</th>
            </tr>
          </thead>
          <tbody>
            {data.subjects.map((s) => (
              <tr key={s.subject} data-subject={s.subject}>
                <td class="break">
                  <a href={`/console/schemas/${encodeURIComponent(s.subject)}`}>{s.subject}</a>
                </td>
                <td>{s.latest.schemaType}</td>
                <td class="num">{s.versions.join(", ")}</td>
                <td class="num">{s.latest.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
