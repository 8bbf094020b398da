/**
 * `/console/groups`: every consumer group with its state and members,
 * Freshet's own consumers marked (their offsets live in SQLite); each
 * links to its offsets and actions here and to its lag charts on the
 * monitor's `/groups/:group`. Filtered by name (`q`), 50 a page (`page`).
 */
import type { Handlers, PageProps, RouteAccess } from "../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import { listGroupSummaries } from "../../../services/console/groups/group_detail.ts";
import { freshetConsumerOf } from "../../../services/console/groups/freshet_groups.ts";
import { consoleHttpError } from "../../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";
import { Pager, pageRows } from "../../../shared/web/paging.tsx";

/** Groups a page shows. */
const GROUPS_PAGE_SIZE = 50;

/** The page title. */
export const title = "Groups · Console · Freshet";

/** One row. */
export interface GroupRow {
  groupId: string;
  /** `classic` or `consumer` (KIP-848). */
  type: "classic" | "consumer";
  protocolType: string;
  state: string;
  members: number;
  /** The Freshet consumer owning it, if any. */
  freshet?: string;
}

/** What the page shows. */
export interface GroupsPageData {
  groups: GroupRow[];
  filter: string;
  notice?: string;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the list. */
export const handler: Handlers<GroupsPageData> = {
  async GET(_req, ctx) {
    const filter = (ctx.url.searchParams.get("q") ?? "").trim();
    const running = ctx.services.statuses.list().map((r) => r.status.groupId);
    const groups = await Promise.all([
      ctx.services.part(consoleWeb).kafka.admin(),
      ctx.services.part(consoleWeb).kafka.cluster(),
    ])
      .then(([admin, cluster]) => listGroupSummaries(admin, { cluster }))
      .catch((e) => {
        throw consoleHttpError(e, "listing consumer groups");
      });
    const needle = filter.toLowerCase();
    const deleted = ctx.url.searchParams.get("deleted");
    return ctx.render({
      groups: groups.filter((g) => !needle || g.groupId.toLowerCase().includes(needle)).map((
        g,
      ) => ({
        ...g,
        freshet: freshetConsumerOf(g.groupId, { services: ctx.services, running })?.consumer,
      })),
      filter,
      notice: deleted ? `Group ${deleted} deleted.` : undefined,
    });
  },
};

/** The page. */
export default function Groups({ data, url, state }: PageProps<GroupsPageData>) {
  const shown = pageRows(data.groups, url, GROUPS_PAGE_SIZE);
  const pager = <Pager {...shown} noun={data.filter ? "matching groups" : "groups"} />;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>Consumer groups</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      <form method="get" action="/console/groups" class="inline-form">
        <label>
          Name contains <input name="q" value={data.filter} />
        </label>{" "}
        <button type="submit">Filter</button>
      </form>
      {pager}
      <table class="groups">
        <thead>
          <tr>
            <th>Group</th>
            <th>State</th>
            <th class="num">Members</th>
            <th>Type</th>
            <th>Lag</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((g) => (
            <tr key={g.groupId} data-group={g.groupId}>
              <td class="break">
                <a href={`/console/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</a>
                {g.freshet && <span class="tag">Freshet: {g.freshet}</span>}
              </td>
              <td>{g.state}</td>
              <td class="num">{g.members}</td>
              <td data-group-type={g.type}>
                {g.type === "consumer"
                  ? "consumer (KIP-848)"
                  : `classic · ${g.protocolType || "—"}`}
              </td>
              <td>
                <a href={`/groups/${encodeURIComponent(g.groupId)}`}>charts</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.groups.length === 0 && <p class="muted">No group matches.</p>}
      {shown.total > GROUPS_PAGE_SIZE && pager}
    </main>
  );
}
