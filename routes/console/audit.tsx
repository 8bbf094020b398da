/**
 * `/console/audit`: every operator action and login, newest first, with a
 * filter by action and older pages. Every value is rendered as text.
 */
import type { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { type AuditEntry, consoleDb, listAudit } from "../../shared/web/auth/mod.ts";
import { parseAuditQuery } from "../../services/console/web/audit_query.ts";
import { ConsoleNav } from "../../services/console/web/console_nav.tsx";
import { Time } from "../../shared/web/time.tsx";

/** The page title. */
export const title = "Audit · Console · Freshet";

/** What the page shows. */
export interface AuditPageData {
  entries: AuditEntry[];
  action?: string;
  /** Link to the next (older) page, if there may be one. */
  older?: string;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: one page of the log. */
export const handler: Handlers<AuditPageData> = {
  GET(_req, ctx) {
    const query = parseAuditQuery(ctx.url);
    const entries = listAudit(consoleDb(ctx.services), query);
    const last = entries.at(-1);
    const older = entries.length === query.limit && last
      ? `/console/audit?${new URLSearchParams({
        before: String(last.id),
        ...(query.action ? { action: query.action } : {}),
      })}`
      : undefined;
    return ctx.render({ entries, action: query.action, older });
  },
};

/** The log. */
export default function Audit({ data, url, state }: PageProps<AuditPageData>) {
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>Audit log</h1>
      <form method="get" action="/console/audit" class="inline-form">
        <label>
          Action <input name="action" value={data.action ?? ""} placeholder="e.g. topic" />
        </label>{" "}
        <button type="submit">Filter</button>
      </form>
      {data.entries.length === 0
        ? <p class="muted">Nothing recorded yet.</p>
        : (
          <table class="audit">
            <thead>
              <tr>
                <th>Time</th>
                <th>User</th>
                <th>Client</th>
                <th>Action</th>
                <th>Target</th>
                <th>Result</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-id={e.id}>
                  <td>
                    <Time at={e.at} />
                  </td>
                  <td>{e.user ?? "—"} {e.role && <span class="muted">({e.role})</span>}</td>
                  <td>{e.client ?? ""}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td class="break">{e.target}</td>
                  <td class={`result result-${e.result}`}>{e.result}</td>
                  <td class="break detail">{e.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {data.older && (
        <p>
          <a href={data.older}>Older entries</a>
        </p>
      )}
    </main>
  );
}
