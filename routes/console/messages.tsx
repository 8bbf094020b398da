/**
 * `/console/messages`: where the console's Messages section starts — pick
 * a topic (a plain GET form, or a link per topic) to open its message
 * browser at `/console/topics/:topic/messages`.
 */
import { consoleHttpError } from "../../services/console/kafka_http_error.ts";
import { messagesPagePath } from "../../services/console/messages/web/links.ts";
import { topicParam } from "../../services/console/messages/web/topic_param.ts";
import { ConsoleNav } from "../../services/console/web/console_nav.tsx";
import type { Handlers, PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { consoleWeb } from "../../services/console/web/console_part.ts";

/** The page title. */
export const title = "Messages · Console · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the topics, or a redirect to the one asked for (`?topic=`). */
export const handler: Handlers<string[]> = {
  async GET(_req, ctx) {
    const wanted = ctx.url.searchParams.get("topic");
    if (wanted) {
      const topic = topicParam({ topic: wanted.trim() });
      return new Response(null, { status: 303, headers: { location: messagesPagePath(topic) } });
    }
    const admin = await ctx.services.part(consoleWeb).kafka.admin().catch((e) => {
      throw consoleHttpError(e, "listing topics");
    });
    const topics = await admin.listTopics().catch((e) => {
      throw consoleHttpError(e, "listing topics");
    });
    return ctx.render(topics.filter((t) => !t.startsWith("__")).sort());
  },
};

/** The page. */
export default function MessagesIndex({ data, url, state }: PageProps<string[]>) {
  return (
    <main class="page">
      <ConsoleNav url={url} state={state} />
      <h1>Messages</h1>
      <form method="get" action="/console/messages">
        <label>
          Topic <input name="topic" list="topic-names" required />
        </label>{" "}
        <button type="submit">Browse</button>
        <datalist id="topic-names">
          {data.map((t) => <option key={t} value={t} />)}
        </datalist>
      </form>
      <ul class="topic-links">
        {data.map((t) => (
          <li key={t}>
            <a href={messagesPagePath(t)}>{t}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}
