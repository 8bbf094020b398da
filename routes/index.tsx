/**
 * The home page: what Freshet is, and its consumers with their state,
 * rendered on the server and kept live by the ConsumerBoard island.
 */
import ConsumerBoard from "../islands/ConsumerBoard.tsx";
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

/** GET: the consumers known now, for the first paint. */
export const handler: Handlers<ConsumerRow[]> = {
  GET(_req, ctx) {
    return ctx.render(ctx.services.statuses.list().map((r) => toConsumerRow(r.status)));
  },
};

/** The home page. */
export default function Home({ data }: PageProps<ConsumerRow[]>) {
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
        <ConsumerBoard consumers={data} />
      </section>
    </main>
  );
}
