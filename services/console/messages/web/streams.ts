/**
 * The two streaming endpoints of the message browser: a filtered search
 * with live progress (`progress` events with scanned, matched, elapsed and
 * each partition's position, then one `page` event, the same JSON as the
 * API), and the live tail (`messages` events of at most ~20 messages per
 * second, with the count skipped and the time left). A tail ends by itself
 * after the reader's `tailMaxMs` (`FRESHET_TAIL_MAX_MINUTES`): its `open`
 * event says when (`endsAt`), each `messages` event how long is left
 * (`remainingMs`), and an `end` event says why it stopped. Closing the
 * stream (the tab, the Cancel button) aborts the read and releases its
 * Kafka connections. Each stream takes one of its user's slots
 * (message_reader.ts), refused with a 429 naming the holders.
 */
import { toHttpError } from "../../../../shared/web/error_response.ts";
import type { WebServices } from "../../../../shared/web/services.ts";
import type { User } from "../../../../shared/web/auth/users.ts";
import { browse } from "../browse.ts";
import type { BrowseRequest } from "../browse_types.ts";
import { tailTopic } from "../tail.ts";
import { asHttpError } from "./read_errors.ts";
import { messageJson, pageJson } from "./page_json.ts";
import { taskEventStream } from "./event_stream.ts";
import { consoleWeb } from "../../web/console_part.ts";

function describe(error: unknown): { status: number; message: string } {
  const http = toHttpError(asHttpError(error));
  return { status: http.status, message: http.status >= 500 ? "the read failed" : http.message };
}

/** Who runs a stream: the user, and the browser whose share it takes (client_streams.ts). */
export interface StreamHolder {
  user: User | undefined;
  /** `browserKey` of the request (undefined: not a browser's page, not counted). */
  browser: string | undefined;
}

/**
 * The console's slot and the browser's for a stream of `kind` on `topic`
 * (either refusal a 429; the browser's is given back when the console's is refused).
 */
function openSlots(
  services: WebServices,
  kind: "search" | "tail",
  topic: string,
  who: StreamHolder,
) {
  const browserSlot = services.clientStreams.acquire(
    who.browser,
    `${kind === "tail" ? "a live tail" : "a search"} of ${topic}`,
  );
  try {
    const own = services.part(consoleWeb).messages.open(kind, topic, who.user);
    return {
      own,
      close: async () => {
        browserSlot.release();
        await own.close();
      },
    };
  } catch (error) {
    browserSlot.release();
    throw error;
  }
}

/** Runs `request` as a search, streaming its progress and then its page. */
export function searchStream(
  services: WebServices,
  request: BrowseRequest,
  query: URLSearchParams,
  who: StreamHolder,
): Response {
  const { own, close } = openSlots(services, "search", request.topic, who);
  return taskEventStream({
    shutdown: services.shutdown,
    heartbeatMs: services.heartbeatMs,
    describeError: describe,
    finish: close,
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
  options: { partition?: number; maxPerSecond?: number } & StreamHolder,
): Response {
  const { own, close } = openSlots(services, "tail", topic, options);
  const limitMs = services.part(consoleWeb).messages.limits.tailMaxMs;
  return taskEventStream({
    shutdown: services.shutdown,
    heartbeatMs: services.heartbeatMs,
    describeError: describe,
    finish: close,
    async run(send, signal) {
      const endsAt = Date.now() + limitMs;
      const limit = AbortSignal.any([signal, AbortSignal.timeout(limitMs)]);
      await tailTopic(own.client, topic, {
        partition: options.partition,
        maxPerSecond: options.maxPerSecond,
        signal: limit,
        onStart: (ends) =>
          send("open", {
            topic,
            partition: options.partition ?? null,
            ends,
            endsAt: new Date(endsAt).toISOString(),
            limitMs,
          }),
        onMessages: (messages, skipped) =>
          send("messages", {
            messages: messages.map((m) => messageJson(topic, m)),
            skipped,
            remainingMs: Math.max(0, endsAt - Date.now()),
          }),
      });
      if (!signal.aborted) {
        const minutes = Math.round(limitMs / 60_000);
        send("end", {
          reason: "time limit",
          limitMs,
          message: `the live tail stopped after its ${
            minutes >= 1 ? `${minutes}-minute` : `${Math.round(limitMs / 1000)}-second`
          } limit (FRESHET_TAIL_MAX_MINUTES); start it again to go on`,
        });
      }
    },
  });
}
