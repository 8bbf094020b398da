/**
 * Reads one page for a route: on the shared page client, or on a client of
 * its own for a search; values in the Schema Registry wire format decoded.
 */
import type { WebServices } from "../../../../shared/web/services.ts";
import type { User } from "../../../../shared/web/auth/users.ts";
import { browse } from "../browse.ts";
import type { BrowseRequest, MessagePage } from "../browse_types.ts";
import { hasFilter } from "../filter.ts";
import { explainReadErrors } from "./read_errors.ts";
import { decodeSchemas } from "../schema_view.ts";
import { schemaValuesFromEnv } from "../../../../shared/schema/schema_env.ts";
import { consoleWeb } from "../../web/console_part.ts";

/** The page `request` asks for; a filtered one counts as a running search while it reads. */
export async function readPage(
  services: WebServices,
  request: BrowseRequest,
  user: User | undefined,
): Promise<MessagePage> {
  const page = await readRaw(services, request, user);
  await decodeSchemas(page.messages, schemaValuesFromEnv());
  return page;
}

async function readRaw(
  services: WebServices,
  request: BrowseRequest,
  user: User | undefined,
): Promise<MessagePage> {
  if (!hasFilter(request.filter)) {
    return await explainReadErrors(() =>
      browse(services.part(consoleWeb).messages.pages(), request)
    );
  }
  const own = services.part(consoleWeb).messages.open("search", request.topic, user);
  try {
    return await explainReadErrors(() => browse(own.client, request));
  } finally {
    await own.close();
  }
}

/** 404/403 before a stream starts, when the topic does not exist or may not be read. */
export async function checkTopic(services: WebServices, topic: string): Promise<number[]> {
  return await explainReadErrors(() =>
    services.part(consoleWeb).messages.pages().partitions(topic)
  );
}
