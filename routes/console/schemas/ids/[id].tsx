/** `/console/schemas/ids/:id`: one schema by its registry id (where a decoded message links). */
import { ConsoleNav } from "../../../../services/console/web/console_nav.tsx";
import {
  registryOrFail,
  schemaById,
  type SchemaVersion,
} from "../../../../services/console/schemas/subjects.ts";
import { SchemaCard } from "../../../../services/console/schemas/web/schema_card.tsx";
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";

/** The page title. */
export const title = "Schema · Console · Freshet";

/** Who may use it (shared/web/auth/access.ts): the console, a login. */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the schema, or 404. */
export const handler: Handlers<SchemaVersion> = {
  async GET(_req, ctx) {
    const id = Number(ctx.params.id);
    if (!/^\d{1,10}$/.test(ctx.params.id)) throw new HttpError(400, "a schema id is a number");
    return ctx.render(await schemaById(registryOrFail(), id));
  },
};

/** The page. */
export default function SchemaById({ data, url, state }: PageProps<SchemaVersion>) {
  return (
    <main class="page">
      <ConsoleNav url={url} state={state} />
      <h1>Schema {data.id}</h1>
      <p class="muted">
        <a href="/console/schemas">all subjects</a>
      </p>
      <SchemaCard schema={data} />
    </main>
  );
}
