/**
 * `/monitor` (seed 000's OnDutyMonitor): every topic's traffic, dead letters
 * arriving, and every group's lag over a chosen range, in chart.js charts
 * kept live over SSE; the newest messages across topics. The tables below
 * the charts carry the same numbers without JavaScript. The charts get
 * at most CHART_POINTS buckets a line, the busiest topics and "others",
 * without topics Kafka no longer has (services/monitor/web/chart_topics.ts;
 * the table leaves those out too and says how many);
 * `/api/monitor/topics` keeps the full resolution and every topic.
 */
import MonitorBoard from "../islands/MonitorBoard.tsx";
import type { Handlers, PageProps, RouteAccess } from "../shared/web/mod.ts";
import { RangePicker, StatusBadge } from "../services/monitor/web/components.tsx";
import {
  formatBytes,
  formatCount,
  formatLagTime,
  formatRate,
} from "../services/monitor/web/format.ts";
import { groupSeries, listGroups } from "../services/monitor/web/group_queries.ts";
import { monitorReader } from "../services/monitor/web/monitor_reader.ts";
import { rangeParam } from "../services/monitor/web/range_param.ts";
import { latestFeed, topicsReport } from "../services/monitor/web/traffic_queries.ts";
import type {
  FeedMessage,
  GroupListRow,
  GroupSeries,
  TopicsReport,
} from "../services/monitor/web/types.ts";
import type { RangeName } from "../services/monitor/range.ts";
import { chartTopics } from "../services/monitor/web/chart_topics.ts";
import { consoleWeb } from "../services/console/web/console_part.ts";
import type { WebServices } from "../shared/web/services.ts";

/** Buckets per line the page's charts get (a chart is ~600 px wide). */
const CHART_POINTS = 300;
/** Lines per chart besides "others". */
const CHART_LINES = 8;
/** How long the page waits for Kafka's topic list before drawing every topic. */
const TOPIC_LIST_TIMEOUT_MS = 2_000;

/** The topics Kafka has now, or undefined when it cannot say soon. */
async function existingTopics(services: WebServices): Promise<Set<string> | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const listed = services.part(consoleWeb).kafka.admin().then((admin) => admin.listTopics());
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), TOPIC_LIST_TIMEOUT_MS);
    });
    const names = await Promise.race([listed, late]);
    return names ? new Set(names) : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The page title. */
export const title = "Monitor · Freshet";

/** What the page shows. */
export interface MonitorPage {
  range: RangeName;
  /** Every topic (the table), its series at the charts' resolution. */
  report: TopicsReport;
  /** The charts' lines. */
  chart: TopicsReport;
  /** Topics counted that Kafka no longer has (left out of the table). */
  deleted: number;
  series: GroupSeries[];
  groups: GroupListRow[];
  feed: FeedMessage[];
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the range's history, the groups and the newest messages. */
export const handler: Handlers<MonitorPage> = {
  async GET(_req, ctx) {
    const range = rangeParam(ctx.url, "15m");
    const { db, settings } = monitorReader(ctx.services);
    const now = Date.now();
    const report = topicsReport(db, settings, range, now, CHART_POINTS);
    const exists = await existingTopics(ctx.services);
    const live = exists ? report.topics.filter((t) => exists.has(t.topic)) : report.topics;
    return ctx.render({
      range,
      report: { ...report, topics: live },
      deleted: report.topics.length - live.length,
      chart: chartTopics(report, {
        top: CHART_LINES,
        exists: exists ? (topic) => exists.has(topic) : undefined,
      }),
      series: groupSeries(db, settings, range, {
        now,
        maxPoints: CHART_POINTS,
        limit: CHART_LINES,
      }),
      groups: listGroups(db, settings, now),
      feed: latestFeed(db),
    });
  },
};

/** The monitor page. */
export default function Monitor({ data }: PageProps<MonitorPage>) {
  const { report } = data;
  return (
    <main class="page page-wide">
      <header>
        <h1>Monitor</h1>
        <p class="lead">
          Every topic's messages and every consumer group's lag, counted and sampled by the monitor
          service into its own SQLite history. Pick a range; the charts follow live.
        </p>
        <RangePicker current={data.range} base="/monitor" />
      </header>
      <MonitorBoard report={data.chart} groups={data.series} feed={data.feed} />
      <section aria-labelledby="topics-title">
        <h2 id="topics-title">Topics</h2>
        {data.deleted > 0 && (
          <p class="muted" data-deleted={data.deleted}>
            {data.deleted} topic(s) counted before are gone from Kafka and not shown.
          </p>
        )}
        {report.topics.length === 0
          ? <p class="empty">No topic counted yet.</p>
          : (
            <table class="topics">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col" class="num">Messages</th>
                  <th scope="col" class="num">Bytes</th>
                  <th scope="col" class="num">Now</th>
                </tr>
              </thead>
              <tbody>
                {report.topics.map((t) => (
                  <tr data-topic={t.topic}>
                    <th scope="row">{t.topic}</th>
                    <td class="num" data-field="messages">{formatCount(t.messages)}</td>
                    <td class="num">{formatBytes(t.bytes)}</td>
                    <td class="num">{formatRate(t.rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
      <section aria-labelledby="groups-title">
        <h2 id="groups-title">Consumer groups</h2>
        {data.groups.length === 0 ? <p class="empty">No group sampled yet.</p> : (
          <table>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Lag</th>
                <th scope="col" class="num">Lag in time</th>
              </tr>
            </thead>
            <tbody>
              {data.groups.slice(0, 20).map((g) => (
                <tr>
                  <th scope="row">
                    <a href={`/groups/${encodeURIComponent(g.group)}`}>{g.group}</a>
                  </th>
                  <td>
                    <StatusBadge status={g.status} title={g.error} />
                  </td>
                  <td class="num">{formatCount(g.lag)}</td>
                  <td class="num">{formatLagTime(g.lagMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          <a href="/groups">All groups</a> ·{" "}
          <a href={`/api/monitor/topics?range=${data.range}`}>
            JSON
          </a>
        </p>
      </section>
    </main>
  );
}
