/**
 * `/console/cluster` (viewer): the cluster at a glance — brokers with their
 * racks, addresses, releases and log directories; the partitions offline,
 * under min ISR or under-replicated, each linked to its topic; the KRaft
 * quorum; features; topics by size on disk per broker, paged. The same
 * data as `GET /api/cluster`.
 */
import type { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { ConsoleNav } from "../../services/console/web/console_nav.tsx";
import {
  ClusterDetail,
  ClusterSummary,
  ClusterTopics,
} from "../../services/console/web/cluster_view.tsx";
import type { ClusterOverview } from "../../services/console/cluster/cluster_overview.ts";
import { readClusterOverview } from "../../services/console/cluster/cluster_read.ts";
import { Pager } from "../../shared/web/paging.tsx";
import { Time } from "../../shared/web/time.tsx";

/** The page title. */
export const title = "Cluster · Console · Freshet";

/** Topics a page lists. */
const TOPIC_ROWS = 50;

/** What the page shows. */
export interface ClusterPageData {
  overview: ClusterOverview;
  page: number;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the overview (a page of topics by `?page=`). */
export const handler: Handlers<ClusterPageData> = {
  async GET(_req, ctx) {
    const page = Math.max(1, Math.floor(Number(ctx.url.searchParams.get("page") ?? 1)) || 1);
    return ctx.render({ overview: await readClusterOverview(ctx.services), page });
  },
};

/** The page. */
export default function Cluster({ data, url, state }: PageProps<ClusterPageData>) {
  const o = data.overview;
  const from = (data.page - 1) * TOPIC_ROWS;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>
        Cluster <span class="id muted">{o.clusterId ?? ""}</span>
      </h1>
      <p class="muted">
        As the console's principal sees it, read <Time at={o.at} relative />{" "}
        (<a href="/console/cluster">read again</a> · <a href="/api/cluster">JSON</a>).
      </p>
      <ClusterSummary overview={o} />
      <ClusterDetail overview={o} />
      <section aria-labelledby="topics-title" id="topics">
        <h2 id="topics-title">Topics by size on disk</h2>
        <Pager
          page={data.page}
          pageSize={TOPIC_ROWS}
          total={o.topics.length}
          noun="topics"
          href={(n) => `/console/cluster?page=${n}#topics`}
        />
        <ClusterTopics overview={o} from={from} to={from + TOPIC_ROWS} />
      </section>
    </main>
  );
}
