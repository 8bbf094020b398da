/**
 * The message a route's `:topic`, `:partition` and `:offset` name, read
 * with the console's page reader: read errors explained, a 404 when there
 * is none (the message API, its value, and the message page).
 */
import { HttpError } from "../../../../shared/web/http_error.ts";
import type { WebServices } from "../../../../shared/web/services.ts";
import { consoleWeb } from "../../web/console_part.ts";
import { type FoundMessage, readOne } from "../one_message.ts";
import { messageParams } from "./message_params.ts";
import { explainReadErrors } from "./read_errors.ts";
import { topicParam } from "./topic_param.ts";

/** The message at the route's parameters, and where it is. */
export interface MessageAt {
  topic: string;
  partition: number;
  offset: number;
  found: FoundMessage;
}

/** Reads the message the route's parameters name; 404 when there is none. */
export async function messageAt(
  ctx: { params: Record<string, string>; services: WebServices },
): Promise<MessageAt> {
  const topic = topicParam(ctx.params);
  const { partition, offset } = messageParams(ctx.params);
  const found = await explainReadErrors(() =>
    readOne(ctx.services.part(consoleWeb).messages.pages(), topic, partition, offset)
  );
  if (!found) throw new HttpError(404, `no message at offset ${offset} of partition ${partition}`);
  return { topic, partition, offset, found };
}
