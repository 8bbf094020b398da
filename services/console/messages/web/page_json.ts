/**
 * One page of messages as the JSON API answers it (and the page renders
 * it): the engine's page plus links — each message's permalink and, when
 * its value was cut, the whole value; the older and newer pages; the
 * export of the page.
 */
import { HttpError } from "../../../../shared/web/http_error.ts";
import { parseBrowseQuery } from "../browse_query.ts";
import type { BrowseRequest, MessagePage } from "../browse_types.ts";
import type { MessageView } from "../message_view.ts";
import { cursorLink, messagesApiPath, permalinkPath, valuePath } from "./links.ts";

/** A message with its links. */
export interface MessageJson extends MessageView {
  links: { self: string; value?: string };
}

/** A page with its links. */
export interface PageJson extends Omit<MessagePage, "messages"> {
  messages: MessageJson[];
  links: { older?: string; newer: string; export: string };
}

/** The browse request of `url` for `topic`; 400 listing every problem of the query. */
export function browseRequest(topic: string, url: URL): BrowseRequest {
  const parsed = parseBrowseQuery(url.searchParams);
  if (!parsed.ok) throw new HttpError(400, `bad query: ${parsed.problems.join("; ")}`);
  return { topic, ...parsed.request };
}

/** A message with its links. */
export function messageJson(topic: string, m: MessageView): MessageJson {
  return {
    ...m,
    links: {
      self: permalinkPath(topic, m.partition, m.offset),
      value: m.value?.truncated ? valuePath(topic, m.partition, m.offset) : undefined,
    },
  };
}

/** `page` with links built on `query` (the request's query string). */
export function pageJson(page: MessagePage, query: URLSearchParams, base?: string): PageJson {
  const at = base ?? messagesApiPath(page.topic);
  // The export pins the page's start, so it holds the messages shown even after new ones arrive.
  const pinned = page.order === "newest-first" ? "before" : "after";
  const exported = cursorLink(messagesApiPath(page.topic), query, pinned, page.start) +
    "&download=1";
  return {
    ...page,
    messages: page.messages.map((m) => messageJson(page.topic, m)),
    links: {
      older: page.older ? cursorLink(at, query, "before", page.older) : undefined,
      newer: cursorLink(at, query, "after", page.newer),
      export: exported,
    },
  };
}
