/**
 * `/console/topics/:topic/messages/:partition/:offset`: one message, the
 * permalink each message of the browser links to.
 */
import {
  cursorLink,
  messagesPagePath,
} from "../../../../../../services/console/messages/web/links.ts";
import { MessageCard } from "../../../../../../services/console/messages/web/message_list.tsx";
import {
  type MessageJson,
  messageJson,
} from "../../../../../../services/console/messages/web/page_json.ts";
import { ConsoleNav } from "../../../../../../services/console/web/console_nav.tsx";
import type { Handlers, PageProps, RouteAccess } from "../../../../../../shared/web/mod.ts";
import { messageAt } from "../../../../../../services/console/messages/web/message_at.ts";

/** The page title. */
export const title = "Message · Console · Freshet";

/** What the page shows. */
export interface MessagePageData {
  topic: string;
  message: MessageJson;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the message, or 404. */
export const handler: Handlers<MessagePageData> = {
  async GET(_req, ctx) {
    const { topic, found } = await messageAt(ctx);
    return ctx.render({ topic, message: messageJson(topic, found.view) });
  },
};

/** The page. */
export default function Message({ data, url, state }: PageProps<MessagePageData>) {
  const { topic, message } = data;
  const around = new URLSearchParams({ partition: String(message.partition), limit: "20" });
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">
        {topic} · partition {message.partition} · offset {message.offset}
      </h1>
      <MessageCard message={message} />
      <p class="pager">
        <a
          href={cursorLink(messagesPagePath(topic), around, "before", {
            [message.partition]: message.offset,
          })}
        >
          ← Older in this partition
        </a>
        <a
          href={cursorLink(messagesPagePath(topic), around, "after", {
            [message.partition]: message.offset + 1,
          })}
        >
          Newer in this partition →
        </a>
        <a href={messagesPagePath(topic)}>All messages</a>
      </p>
    </main>
  );
}
