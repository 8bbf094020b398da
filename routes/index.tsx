/**
 * The home page: what Freshet is, the cluster at a glance (for someone
 * logged in: it is a console read), and the consumers with their state,
 * rendered on the server and kept live by the ConsumerBoard island.
 */
import ConsumerBoard from "../islands/ConsumerBoard.tsx";
import type { ClusterOverview } from "../services/console/cluster/cluster_overview.ts";
import { readClusterOverview } from "../services/console/cluster/cluster_read.ts";
import { ClusterSummary } from "../services/console/web/cluster_view.tsx";
import { errorMessage } from "../shared/core/errors.ts";
import { NAV } from "./_nav.ts";
import {
  type ConsumerRow,
  type Handlers,
  type PageProps,
  type RouteAccess,
  toConsumerRow,
} from "../shared/web/mod.ts";

/** The page title. */
export const title = "Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** What the home page shows. */
export interface HomeData {
  consumers: ConsumerRow[];
  /** The cluster's overview, why it could not be read, or nothing (nobody logged in). */
  cluster?: { overview: ClusterOverview } | { problem: string };
}

/** How long the home page waits for the cluster's overview. */
const CLUSTER_WAIT_MS = 3_000;

async function clusterOf(ctx: Parameters<NonNullable<Handlers["GET"]>>[1]) {
  if (!ctx.state.user) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CLUSTER_WAIT_MS / 1000} s`)),
      CLUSTER_WAIT_MS,
    );
  });
  try {
    return { overview: await Promise.race([readClusterOverview(ctx.services), late]) };
  } catch (error) {
    return { problem: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** GET: the consumers known now, for the first paint, and the cluster's summary. */
export const handler: Handlers<HomeData> = {
  async GET(_req, ctx) {
    return ctx.render({
      consumers: ctx.services.statuses.list().map((r) => toConsumerRow(r.status)),
      cluster: await clusterOf(ctx),
    });
  },
};

/** The home page. */
export default function Home({ data }: PageProps<HomeData>) {
  return (
    <main class="page">
      <header>
        <h1>Freshet</h1>
        <p class="lead">
          Event-driven services on Apache Kafka, in TypeScript for Deno. Services produce domain
          events, consumers materialise topics into SQLite exactly once, and this page follows them
          live.
        </p>
      </header>
      <section aria-labelledby="cluster-title">
        <h2 id="cluster-title">
          <a href="/console/cluster">Cluster</a>
        </h2>
        {data.cluster === undefined && (
          <p class="muted">
            <a href="/login?next=%2F">Log in</a> to see the brokers and the partitions in trouble.
          </p>
        )}
        {data.cluster && "problem" in data.cluster && (
          <p class="warn">The cluster could not be described: {data.cluster.problem}</p>
        )}
        {data.cluster && "overview" in data.cluster && (
          <ClusterSummary overview={data.cluster.overview} />
        )}
      </section>
      <section aria-labelledby="pages-title">
        <h2 id="pages-title">Pages</h2>
        <dl class="site-map">
          {NAV.filter((item) => item.href !== "/").map((item) => (
            <>
              <dt>
                <a href={item.href}>{item.label}</a>
              </dt>
              <dd>{item.description}</dd>
            </>
          ))}
          <dt>
            <a href="/health">Health</a> · <a href="/metrics">Metrics</a>
          </dt>
          <dd>
            The broker and every consumer as JSON (503 when something is wrong); Prometheus metrics.
          </dd>
        </dl>
      </section>
      <section aria-labelledby="consumers-title">
        <h2 id="consumers-title">Consumers</h2>
        <ConsumerBoard consumers={data.consumers} />
      </section>
    </main>
  );
}
