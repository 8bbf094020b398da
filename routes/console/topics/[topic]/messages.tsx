/**
 * `/console/topics/:topic/messages`: the message browser (viewer). The
 * server reads the page the query asks for (the same query as
 * GET /api/topics/:topic/messages) and renders it inside the
 * MessageBrowser island, which also runs filtered searches with live
 * progress; below it, the live tail.
 */
import LiveTail from "../../../../islands/LiveTail.tsx";
import MessageBrowser from "../../../../islands/MessageBrowser.tsx";
import { parseBrowseQuery } from "../../../../services/console/messages/browse_query.ts";
import { messagesPagePath } from "../../../../services/console/messages/web/links.ts";
import { type PageJson, pageJson } from "../../../../services/console/messages/web/page_json.ts";
import { checkTopic, readPage } from "../../../../services/console/messages/web/read_page.ts";
import { topicParam } from "../../../../services/console/messages/web/topic_param.ts";
import { ConsoleNav } from "../../../../services/console/web/console_nav.tsx";
import type { Handlers, PageProps, RouteAccess } from "../../../../shared/web/mod.ts";
import { consoleWeb } from "../../../../services/console/web/console_part.ts";

/** The page title. */
export const title = "Messages · Console · Freshet";

/** What the page shows. */
export interface MessagesPageData {
  topic: string;
  partitions: number[];
  values: Record<string, string>;
  page?: PageJson;
  error?: string;
  /** How long a live tail may run (FRESHET_TAIL_MAX_MINUTES), in ms. */
  tailMaxMs: number;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the page the query asks for (400 with the form when the query is wrong). */
export const handler: Handlers<MessagesPageData> = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const partitions = await checkTopic(ctx.services, topic);
    const tailMaxMs = ctx.services.part(consoleWeb).messages.limits.tailMaxMs;
    const values = Object.fromEntries(
      [...ctx.url.searchParams].filter(([name]) => name !== "download"),
    );
    const parsed = parseBrowseQuery(ctx.url.searchParams);
    if (!parsed.ok) {
      return ctx.render(
        { topic, partitions, values, tailMaxMs, error: parsed.problems.join("; ") },
        {
          status: 400,
        },
      );
    }
    const page = await readPage(ctx.services, { topic, ...parsed.request }, ctx.state.user);
    const query = new URLSearchParams(values);
    return ctx.render({
      topic,
      partitions,
      values,
      tailMaxMs,
      page: pageJson(page, query, messagesPagePath(topic)),
    });
  },
};

/** The page. */
export default function Messages({ data, url, state }: PageProps<MessagesPageData>) {
  const topicHref = `/console/topics/${encodeURIComponent(data.topic)}`;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        Messages of <a href={topicHref}>{data.topic}</a>
      </h1>
      <p class="lead">
        {data.partitions.length}{" "}
        partition(s). The newest messages come from each partition's end offset, never from a scan;
        a filtered search reads at most its budget and says where it stopped.
      </p>
      <MessageBrowser
        topic={data.topic}
        partitions={data.partitions}
        values={data.values}
        page={data.page}
        error={data.error}
      />
      <section aria-labelledby="tail-title">
        <h2 id="tail-title">Live tail</h2>
        <LiveTail topic={data.topic} partitions={data.partitions} limitMs={data.tailMaxMs} />
      </section>
    </main>
  );
}
