/**
 * `/groups/:group`: one consumer group — members (client id, host,
 * assigned partitions), each partition's committed and end offsets, lag,
 * lag in time and status, the time to clear the lag at the current rates,
 * and the group's lag over the chosen range (chart, live).
 */
import GroupLagChart from "../../islands/GroupLagChart.tsx";
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
} from "../../shared/web/mod.ts";
import { formatDuration } from "../../services/monitor/duration.ts";
import { RangePicker, StatusBadge } from "../../services/monitor/web/components.tsx";
import { formatCount, formatLagTime, formatRate } from "../../services/monitor/web/format.ts";
import { groupDetail } from "../../services/monitor/web/group_queries.ts";
import { monitorReader } from "../../services/monitor/web/monitor_reader.ts";
import { rangeParam } from "../../services/monitor/web/range_param.ts";
import { RANGES } from "../../services/monitor/range.ts";
import type { GroupDetail } from "../../services/monitor/web/types.ts";
import type { ErrorBudget } from "../../services/alerts/error_budget.ts";
import { groupObjective } from "../../services/alerts/web/group_objective.ts";
import { GroupObjective } from "../../services/alerts/web/group_objective_view.tsx";
import {
  type StuckPartition,
  stuckPartitions,
} from "../../services/console/stuck/stuck_partitions.ts";
import { StuckLinks } from "../../services/console/stuck/web/stuck_links.tsx";
import { Time } from "../../shared/web/time.tsx";
import { gapsOfGroup } from "../../shared/consumer/gaps.ts";
import { GapsTable, type GapsTableProps } from "../../shared/consumer/gaps_table.tsx";

/** The page title. */
export const title = "Consumer group · Freshet";

/** What the page shows. */
export interface GroupPage {
  detail: GroupDetail;
  from: number;
  /** Its lag objective (alerts.txt) and error budget. */
  objective?: ErrorBudget;
  /** Its partitions not OK, with the record each is on. */
  stuck: StuckPartition[];
  /** Gaps its Freshet consumers accepted or rebuilt past. */
  gaps: GapsTableProps["gaps"];
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the group, or 404. */
export const handler: Handlers<GroupPage> = {
  GET(_req, ctx) {
    const range = rangeParam(ctx.url, "1h");
    const { db, settings } = monitorReader(ctx.services);
    const now = Date.now();
    const detail = groupDetail(db, settings, ctx.params.group, range, now);
    if (!detail) throw new HttpError(404, "no such consumer group (or not sampled yet)");
    const last = Math.floor(now / detail.step) * detail.step;
    const objective = groupObjective(ctx.services, detail.group, now);
    const stuck = stuckPartitions(ctx.services, detail.group);
    const gaps = gapsOfGroup(ctx.services.statuses.list().map((r) => r.status), detail.group);
    return ctx.render({
      detail,
      from: last + detail.step - RANGES[range],
      objective,
      stuck,
      gaps,
    });
  },
};

function clearText(detail: GroupDetail): string {
  const { clearMs, consumedPerSec, producedPerSec } = detail.clear;
  const rates = `consuming ${formatRate(consumedPerSec)}, producing ${formatRate(producedPerSec)}`;
  if (clearMs === 0) return `no lag (${rates})`;
  if (clearMs === null) return `not clearing at the current rates (${rates})`;
  return `about ${formatDuration(clearMs)} (${rates})`;
}

/** The group page. */
export default function Group({ data }: PageProps<GroupPage>) {
  const { detail } = data;
  const base = `/groups/${encodeURIComponent(detail.group)}`;
  return (
    <main class="page page-wide">
      <header>
        <h1>
          Consumer group <code>{detail.group}</code>
        </h1>
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={detail.status} title={detail.error} />
            {detail.error && <span class="error-text">{detail.error}</span>}
          </dd>
          <dt>State</dt>
          <dd>{detail.state}</dd>
          <dt>Lag</dt>
          <dd data-field="lag">{formatCount(detail.lag)} messages</dd>
          <dt>Lag in time</dt>
          <dd>{formatLagTime(detail.lagMs)}</dd>
          <dt>Time to clear</dt>
          <dd data-field="clear">{clearText(detail)}</dd>
          <dt>Sampled</dt>
          <dd>
            <Time at={detail.at} relative />
          </dd>
        </dl>
        <RangePicker current={detail.range as keyof typeof RANGES} base={base} />
      </header>
      <GroupObjective objective={data.objective} />
      <GroupLagChart
        group={detail.group}
        step={detail.step}
        from={data.from}
        rangeMs={RANGES[detail.range as keyof typeof RANGES]}
        series={detail.series}
      />
      <StuckLinks stuck={data.stuck} />
      <section aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partitions</h2>
        {detail.partitions.length === 0
          ? <p class="empty">No committed offset.</p>
          : (
            <table class="partitions">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col" class="num">Partition</th>
                  <th scope="col" class="num">Committed</th>
                  <th scope="col" class="num">End</th>
                  <th scope="col" class="num">Lag</th>
                  <th scope="col" class="num">Lag in time</th>
                  <th scope="col">Status</th>
                  <th scope="col">Owner</th>
                </tr>
              </thead>
              <tbody>
                {detail.partitions.map((p) => (
                  <tr data-partition={`${p.topic}:${p.partition}`}>
                    <th scope="row">{p.topic}</th>
                    <td class="num">{p.partition}</td>
                    <td class="num" data-field="committed">{p.committed}</td>
                    <td class="num" data-field="end">{p.end}</td>
                    <td class="num" data-field="lag">{p.lag}</td>
                    <td class="num">{formatLagTime(p.lagMs)}</td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td>{p.owner ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
      <GapsTable gaps={data.gaps} />
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {detail.memberList.length === 0
          ? <p class="empty">No member (the group is empty).</p>
          : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Client id</th>
                  <th scope="col">Host</th>
                  <th scope="col">Assigned partitions</th>
                </tr>
              </thead>
              <tbody>
                {detail.memberList.map((m) => (
                  <tr>
                    <th scope="row" title={m.memberId}>{m.clientId}</th>
                    <td>{m.host}</td>
                    <td>
                      {m.assignment.map((a) => `${a.topic}: ${a.partitions.join(", ")}`).join(
                        "; ",
                      ) ||
                        "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
      <footer>
        <a href="/groups">All groups</a> · <a href={`/api${base}?range=${detail.range}`}>JSON</a>
      </footer>
    </main>
  );
}
