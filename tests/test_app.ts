/**
 * The real app for a web test, on a throw-away data folder with a broker
 * probe that needs no network, optionally listening on a free 127.0.0.1
 * port (for requests sent as bytes, tests/raw_http.ts). `close()` ends its
 * streams, the listener and the folder.
 */
import type { Hono } from "hono";
import { createApp, type CreateAppOptions } from "../main.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { fakeProbe } from "./web_helpers.ts";

/** An app of a test. */
export interface TestApp {
  app: Hono<WebEnv>;
  dataDir: string;
  /** The port it listens on (with `listen: true`). */
  port: number;
  close(): Promise<void>;
}

/** Creates the app with `options` (no Kafka variables, no broker probe); `listen` serves it. */
export async function testApp(
  options: CreateAppOptions & { listen?: boolean } = {},
): Promise<TestApp> {
  const { listen, ...appOptions } = options;
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-web-test-" });
  const shutdown = new AbortController();
  const app = await createApp({
    env: {},
    brokerProbe: fakeProbe(),
    dataDir,
    shutdown: shutdown.signal,
    ...appOptions,
  });
  const server = listen
    ? Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch)
    : undefined;
  return {
    app,
    dataDir,
    port: server ? (server.addr as Deno.NetAddr).port : 0,
    async close() {
      await server?.shutdown();
      shutdown.abort();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}
