/**
 * `/console/topics/:topic/messages`: the message browser (viewer), the
 * topic's Messages tab. The server reads the page the query asks for (the
 * same query as GET /api/topics/:topic/messages) and renders it inside the
 * MessageBrowser island, which also runs filtered searches with live
 * progress. `?tab=tail` is the Live tail tab instead (reads nothing until
 * it is started).
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
import { TopicTabs } from "../../../../services/console/web/topic_tabs.tsx";
import { isInternalTopic } from "../../../../services/console/topics/internal_topics.ts";

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
  /** The tab shown: the browser or the live tail. */
  tab: "messages" | "tail";
  /** An operator may produce to it (not one of Kafka's internal topics). */
  canProduce: boolean;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the page the query asks for (400 with the form when the query is wrong). */
export const handler: Handlers<MessagesPageData> = {
  async GET(_req, ctx) {
    const topic = topicParam(ctx.params);
    const partitions = await checkTopic(ctx.services, topic);
    const tailMaxMs = ctx.services.part(consoleWeb).messages.limits.tailMaxMs;
    const tab = ctx.url.searchParams.get("tab") === "tail" ? "tail" : "messages";
    const canProduce = ctx.state.user?.role === "operator" &&
      !await isInternalTopic(ctx.services.part(consoleWeb).kafka, topic);
    const base = { topic, partitions, tailMaxMs, tab, canProduce } as const;
    if (tab === "tail") return ctx.render({ ...base, values: {} });
    const values = Object.fromEntries(
      [...ctx.url.searchParams].filter(([name]) => name !== "download" && name !== "tab"),
    );
    const parsed = parseBrowseQuery(new URLSearchParams(values));
    if (!parsed.ok) {
      return ctx.render({ ...base, values, error: parsed.problems.join("; ") }, { status: 400 });
    }
    const page = await readPage(ctx.services, { topic, ...parsed.request }, ctx.state.user);
    const query = new URLSearchParams(values);
    return ctx.render({ ...base, values, page: pageJson(page, query, messagesPagePath(topic)) });
  },
};

/** The page. */
export default function Messages({ data, url, state }: PageProps<MessagesPageData>) {
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break topic-title">
        <span class="muted">Topic</span> {data.topic}
      </h1>
      <TopicTabs topic={data.topic} current={data.tab} canProduce={data.canProduce} />
      {data.tab === "tail"
        ? (
          <section aria-label="Live tail">
            <p class="lead">
              Messages arriving from now on, newest first ({data.partitions.length} partition(s)).
            </p>
            <LiveTail topic={data.topic} partitions={data.partitions} limitMs={data.tailMaxMs} />
          </section>
        )
        : (
          <MessageBrowser
            topic={data.topic}
            partitions={data.partitions}
            values={data.values}
            page={data.page}
            error={data.error}
          />
        )}
    </main>
  );
}
