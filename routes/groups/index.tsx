/**
 * `/groups`: every consumer group of the cluster (not only Freshet's) as
 * the monitor last sampled it: state, members, topics, lag, lag in time,
 * status and a 15-minute sparkline; filtered by group or topic name (`q`)
 * and by status (`status=problems`: all but OK), 50 a page (`page`),
 * worst status first. No JavaScript.
 */
import type { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { Sparkline, StatusBadge } from "../../services/monitor/web/components.tsx";
import { formatCount, formatLagTime } from "../../services/monitor/web/format.ts";
import { listGroups } from "../../services/monitor/web/group_queries.ts";
import { monitorReader } from "../../services/monitor/web/monitor_reader.ts";
import type { GroupListRow } from "../../services/monitor/web/types.ts";
import { Pager, pageRows } from "../../shared/web/paging.tsx";

/** Groups a page shows. */
const GROUPS_PAGE_SIZE = 50;

/** What the page shows. */
export interface GroupsListData {
  /** Every group sampled (the filter applies in the page). */
  groups: GroupListRow[];
}

/** Topics a row names before "+N more" (the group's page lists them all). */
const TOPICS_SHOWN = 3;

function topicsText(topics: string[]): string {
  const shown = topics.slice(0, TOPICS_SHOWN).join(", ");
  return topics.length > TOPICS_SHOWN ? `${shown} +${topics.length - TOPICS_SHOWN} more` : shown;
}

/** The groups that `q` (in the group's or a topic's name) and `status` keep. */
function filterGroups(
  groups: GroupListRow[],
  q: string,
  status: string,
): GroupListRow[] {
  const needle = q.trim().toLowerCase();
  return groups.filter((g) =>
    (!needle || g.group.toLowerCase().includes(needle) ||
      g.topics.some((t) => t.toLowerCase().includes(needle))) &&
    (status !== "problems" || g.status !== "OK")
  );
}

/** The page title. */
export const title = "Consumer groups · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the groups, worst status first. */
export const handler: Handlers<GroupsListData> = {
  GET(_req, ctx) {
    const { db, settings } = monitorReader(ctx.services);
    return ctx.render({ groups: listGroups(db, settings) });
  },
};

/** The groups page. */
export default function Groups({ data, url }: PageProps<GroupsListData>) {
  const q = url.searchParams.get("q") ?? "";
  const status = url.searchParams.get("status") ?? "";
  const matching = filterGroups(data.groups, q, status);
  const shown = pageRows(matching, url, GROUPS_PAGE_SIZE);
  const filtered = q.trim() !== "" || status === "problems";
  const pager = <Pager {...shown} noun={filtered ? "matching groups" : "groups"} />;
  return (
    <main class="page page-wide">
      <header>
        <h1>Consumer groups</h1>
        <p class="lead">
          Every consumer group of the cluster, sampled every few seconds by the monitor: lag in
          messages, lag in time (how far behind, from the history of end offsets) and a status after
          Burrow's rules — OK, WARN, STALL, STOP, REWIND, ERROR.
        </p>
      </header>
      <form method="get" action="/groups" class="inline-form list-filter" role="search">
        <label>
          Group or topic contains <input name="q" value={q} />
        </label>{" "}
        <label>
          Status{" "}
          <select name="status">
            <option value="" selected={status !== "problems"}>any</option>
            <option value="problems" selected={status === "problems"}>not OK</option>
          </select>
        </label>{" "}
        <button type="submit">Filter</button>
        {filtered && <a href="/groups">Clear</a>}
      </form>
      {pager}
      {data.groups.length === 0
        ? <p class="empty">No group sampled yet.</p>
        : matching.length === 0
        ? <p class="empty">No group matches.</p>
        : (
          <table class="groups">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">State</th>
                <th scope="col" class="num">Members</th>
                <th scope="col">Topics</th>
                <th scope="col" class="num">Lag</th>
                <th scope="col" class="num">Lag in time</th>
                <th scope="col">Status</th>
                <th scope="col">Last 15 min</th>
              </tr>
            </thead>
            <tbody>
              {shown.rows.map((g) => (
                <tr data-group={g.group}>
                  <th scope="row">
                    <a href={`/groups/${encodeURIComponent(g.group)}`}>{g.group}</a>
                  </th>
                  <td>{g.state}</td>
                  <td class="num">{g.members}</td>
                  <td class="break" data-field="topics">{topicsText(g.topics)}</td>
                  <td class="num" data-field="lag">{formatCount(g.lag)}</td>
                  <td class="num">{formatLagTime(g.lagMs)}</td>
                  <td>
                    <StatusBadge status={g.status} title={g.error} />
                  </td>
                  <td>
                    <Sparkline values={g.sparkline} label={`lag of ${g.group}, last 15 minutes`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {shown.total > GROUPS_PAGE_SIZE && pager}
      <footer>
        <a href="/api/groups">JSON</a> · <a href="/monitor">Monitor</a>
      </footer>
    </main>
  );
}
