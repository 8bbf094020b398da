/** Helpers of the console tests. */
import {
  MessageReader,
  type MessageReaderOptions,
} from "../services/console/messages/message_reader.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { basic } from "./auth_helpers.ts";

/** The console's reader as the real `console` principal (local defaults), to inspect in tests. */
export function consoleReader(options: MessageReaderOptions = {}): MessageReader {
  return new MessageReader(
    createKafka(loadKafkaConfig("console", {}), { clientSuffix: "test" }),
    options,
  );
}

/** A JSON request to `app` as `user` (HTTP Basic), its status and parsed body. */
export type ConsoleCall = (
  user: "viewer" | "operator",
  method: string,
  path: string,
  body?: unknown,
  // deno-lint-ignore no-explicit-any
) => Promise<{ status: number; body: any }>;

/** `ConsoleCall` on an app in process. */
export function consoleCaller(
  app: { fetch(req: Request): Response | Promise<Response> },
): ConsoleCall {
  return async (user, method, path, body) => {
    const res = await app.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method,
        headers: { ...basic(user), "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, body: await res.json() };
  };
}
