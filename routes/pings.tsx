/** `/pings`: the pings read so far. */
import { listPings, PINGS_MIGRATIONS, PINGS_SERVICE } from "../services/pings/pings_db.ts";
import type { Handlers, PageProps, RouteAccess } from "../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the newest pings. */
export const handler: Handlers<{ id: string; message: string }[]> = {
  GET: (_req, ctx) =>
    ctx.render(listPings(ctx.services.databases.get(PINGS_SERVICE, PINGS_MIGRATIONS))),
};

/** The page. */
export default function Pings({ data }: PageProps<{ id: string; message: string }[]>) {
  return (
    <main class="page">
      <h1>Pings</h1>
      <ul>{data.map((p) => <li>{p.id}: {p.message}</li>)}</ul>
    </main>
  );
}
