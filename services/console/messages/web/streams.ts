/**
 * The two streaming endpoints of the message browser: a filtered search
 * with live progress (`progress` events with scanned, matched, elapsed and
 * each partition's position, then one `page` event, the same JSON as the
 * API), and the live tail (`messages` events of at most ~20 messages per
 * second, with the count skipped). Closing the stream (the tab, the
 * Cancel button) aborts the read and releases its Kafka connections.
 */
import { toHttpError } from "../../../../shared/web/error_response.ts";
import type { WebServices } from "../../../../shared/web/services.ts";
import { browse } from "../browse.ts";
import type { BrowseRequest } from "../browse_types.ts";
import { tailTopic } from "../tail.ts";
import { asHttpError } from "./read_errors.ts";
import { messageJson, pageJson } from "./page_json.ts";
import { taskEventStream } from "./event_stream.ts";

function describe(error: unknown): { status: number; message: string } {
  const http = toHttpError(asHttpError(error));
  return { status: http.status, message: http.status >= 500 ? "the read failed" : http.message };
}

/** Runs `request` as a search, streaming its progress and then its page. */
export function searchStream(
  services: WebServices,
  request: BrowseRequest,
  query: URLSearchParams,
): Response {
  const own = services.messages.open("search", request.topic);
  return taskEventStream({
    shutdown: services.shutdown,
    heartbeatMs: services.heartbeatMs,
    describeError: describe,
    finish: () => own.close(),
    async run(send, signal) {
      const page = await browse(own.client, {
        ...request,
        signal,
        progressEveryMs: 200,
        onProgress: (progress) => send("progress", progress),
      });
      query.delete("stream");
      send("page", pageJson(page, query));
    },
  });
}

/** Tails `topic` (one partition or all) until the client goes away. */
export function tailStream(
  services: WebServices,
  topic: string,
  options: { partition?: number; maxPerSecond?: number },
): Response {
  const own = services.messages.open("tail", topic);
  return taskEventStream({
    shutdown: services.shutdown,
    heartbeatMs: services.heartbeatMs,
    describeError: describe,
    finish: () => own.close(),
    async run(send, signal) {
      await tailTopic(own.client, topic, {
        partition: options.partition,
        maxPerSecond: options.maxPerSecond,
        signal,
        onStart: (ends) => send("open", { topic, partition: options.partition ?? null, ends }),
        onMessages: (messages, skipped) =>
          send("messages", { messages: messages.map((m) => messageJson(topic, m)), skipped }),
      });
    },
  });
}
