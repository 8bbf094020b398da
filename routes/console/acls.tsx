/**
 * `/console/acls`: the broker's ACLs by principal compared with
 * kafka-acls.txt (missing and extra marked), and the SCRAM users the broker
 * knows. Read-only: `deno task topics` applies the file. Every name is
 * rendered as text.
 */
import type { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { ConsoleNav } from "../../services/console/web/console_nav.tsx";
import {
  type AclsQuery,
  type AclsView,
  loadAclsView,
  parseAclsQuery,
} from "../../services/console/acls/acls_view.ts";
import { consoleHttpError } from "../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../services/console/web/console_part.ts";

/** The page title. */
export const title = "ACLs · Console · Freshet";

/** What the page shows. */
export interface AclsPageData {
  view: AclsView;
  query: AclsQuery;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the comparison. */
export const handler: Handlers<AclsPageData> = {
  async GET(_req, ctx) {
    const query = parseAclsQuery(ctx.url);
    const view = await loadAclsView(ctx.services.part(consoleWeb).kafka, {
      topicPrefix: ctx.services.topicPrefix,
      principals: ctx.services.principals,
      query,
    }).catch((e) => {
      throw consoleHttpError(e, "describing ACLs");
    });
    return ctx.render({ view, query });
  },
};

const STATUS_LABELS = {
  ok: "ok",
  missing: "missing on the broker",
  extra: "extra (not in the file)",
};

/** The page. */
export default function Acls({ data, url, state }: PageProps<AclsPageData>) {
  const { view, query } = data;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>ACLs and users</h1>
      {view.fileProblem && <p class="error" role="alert">kafka-acls.txt: {view.fileProblem}</p>}
      <form method="get" action="/console/acls" class="inline-form">
        <label>
          Principal <input name="principal" value={query.principal ?? ""} />
        </label>{" "}
        <label>
          <input type="checkbox" name="diff" value="1" checked={query.diff} /> differences only
        </label>{" "}
        <button type="submit">Show</button>
      </form>
      <p class="muted">
        Missing bindings are created by{" "}
        <code>deno task topics</code>; extra bindings of Freshet's principals are removed by{" "}
        <code>deno task topics --prune</code>.
      </p>
      {view.principals.length === 0 && <p class="muted">Nothing to show.</p>}
      {view.principals.map((p) => (
        <section key={p.principal} class="principal" data-principal={p.principal}>
          <h2 class="break">
            User:{p.principal} {!p.freshet && <span class="tag">not a Freshet principal</span>}
          </h2>
          <p class="counts">
            {p.counts.ok} ok ·{" "}
            <span class={p.counts.missing ? "bad" : undefined}>
              {p.counts.missing} missing
            </span>{" "}
            · <span class={p.counts.extra ? "warn" : undefined}>{p.counts.extra} extra</span>
          </p>
          <table class="acls">
            <thead>
              <tr>
                <th>Resource</th>
                <th>Operation</th>
                <th>Permission</th>
                <th>Host</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {p.bindings.map((b) => (
                <tr
                  key={`${b.resource} ${b.operation} ${b.permission} ${b.host}`}
                  class={`acl-${b.status}`}
                >
                  <td class="break">
                    <code>{b.resource}</code>
                  </td>
                  <td>{b.operation}</td>
                  <td>{b.permission}</td>
                  <td>{b.host}</td>
                  <td class={`status-${b.status}`}>
                    {STATUS_LABELS[b.status]}
                    {b.line !== undefined && <span class="muted">(line {b.line})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <section aria-labelledby="users-title">
        <h2 id="users-title">SCRAM users</h2>
        {view.scramProblem && <p class="error" role="alert">{view.scramProblem}</p>}
        <table class="users">
          <thead>
            <tr>
              <th>User</th>
              <th>Credentials</th>
            </tr>
          </thead>
          <tbody>
            {view.scramUsers.map((u) => (
              <tr key={u.name} data-user={u.name}>
                <td class="break">{u.name}</td>
                <td>
                  {u.error ??
                    u.credentials.map((c) => `${c.mechanism} (${c.iterations} iterations)`).join(
                      ", ",
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
