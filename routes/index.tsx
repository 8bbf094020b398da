/**
 * The home page: what Freshet is, and its consumers with their state,
 * rendered on the server and kept live by the ConsumerBoard island.
 */
import ConsumerBoard from "../islands/ConsumerBoard.tsx";
import {
  type ConsumerRow,
  type Handlers,
  type PageProps,
  toConsumerRow,
} from "../shared/web/mod.ts";

/** The page title. */
export const title = "Freshet";

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
      <section aria-labelledby="consumers-title">
        <h2 id="consumers-title">Consumers</h2>
        <ConsumerBoard consumers={data} />
      </section>
      <footer>
        <a href="/demands">Demands</a> · <a href="/health">Health</a> ·{" "}
        <a href="/metrics">Metrics</a>
      </footer>
    </main>
  );
}
