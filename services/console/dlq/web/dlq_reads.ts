/** The reads behind the dead-letter pages and API, as the console principal. */
import { consoleDb } from "../../../../shared/web/auth/mod.ts";
import { HttpError } from "../../../../shared/web/http_error.ts";
import type { User } from "../../../../shared/web/auth/users.ts";
import type { WebServices } from "../../../../shared/web/services.ts";
import { consoleHttpError } from "../../kafka_http_error.ts";
import type { BrowseRequest } from "../../messages/browse_types.ts";
import { readPage } from "../../messages/web/read_page.ts";
import { type PageJson, pageJson } from "../../messages/web/page_json.ts";
import {
  type DeadLetterJson,
  deadLetters,
  type DlqTopicSummary,
  listDlqTopics,
} from "../dlq_view.ts";
import { notDeadLetterTopic } from "../redrive.ts";
import { isDeadLetterTopic } from "../conventions.ts";
import { consoleWeb } from "../../web/console_part.ts";

/** Every dead-letter topic (conventions.ts) with its count and newest arrivals. */
export async function dlqTopics(services: WebServices): Promise<DlqTopicSummary[]> {
  const admin = await services.part(consoleWeb).kafka.admin().catch((e) => {
    throw consoleHttpError(e, "listing topics");
  });
  return await listDlqTopics(
    admin,
    services.part(consoleWeb).messages.pages(),
    consoleDb(services),
  );
}

/** A page of dead letters. */
export interface DeadLetterPage extends Omit<PageJson, "messages"> {
  messages: DeadLetterJson[];
}

/** 400 unless `topic` is a dead-letter topic. */
export function dlqTopicParam(topic: string): string {
  if (!isDeadLetterTopic(topic)) throw new HttpError(400, notDeadLetterTopic(topic));
  return topic;
}

/** One page of `request.topic`'s dead letters for `user` (a filtered one is a search), links on `base`. */
export async function deadLetterPage(
  services: WebServices,
  request: BrowseRequest,
  options: { query: URLSearchParams; base?: string; user: User | undefined },
): Promise<DeadLetterPage> {
  const { query, base } = options;
  const page = await readPage(services, request, options.user);
  const json = pageJson(page, query, base);
  return { ...json, messages: deadLetters(consoleDb(services), request.topic, page.messages) };
}
