/**
 * The web server the console benchmarks measure: the real app on an
 * ephemeral loopback port, no consumers, the console on its own principal,
 * and a viewer's `Authorization` header for the requests.
 */
import { readEnv } from "../shared/core/config.ts";
import { kafkaEnvNames } from "../shared/kafka/config.ts";
import { loadAuthConfig } from "../shared/web/auth/mod.ts";
import { serveApp } from "../main.ts";
import { parseRestProxyConfig } from "../services/rest_proxy/mod.ts";

/** A running bench server. */
export interface BenchServer {
  url: string;
  /** A viewer's credentials. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the server with its data in `dataDir` (on `port`; default: any free one). */
export async function startConsoleServer(dataDir: string, port = 0): Promise<BenchServer> {
  const password = crypto.randomUUID();
  // The cluster's settings; the console connects as its own principal (the bench may read
  // only the admin's variables and KAFKA_CONSOLE_PASSWORD).
  const env = readEnv([...kafkaEnvNames("admin"), "KAFKA_CONSOLE_PASSWORD"]);
  const server = await serveApp({
    env,
    consoleEnv: env,
    hostname: "127.0.0.1",
    port,
    dataDir,
    topicPrefix: "",
    consumers: [],
    busBridge: false,
    minifyIslands: true,
    restProxy: parseRestProxyConfig({}),
    auth: loadAuthConfig({
      FRESHET_AUTH: "console",
      FRESHET_VIEWER_PASSWORD: password,
      FRESHET_OPERATOR_PASSWORD: crypto.randomUUID(),
    }, { boundHost: "127.0.0.1" }),
  });
  return {
    url: String(server.url).replace(/\/$/, ""),
    headers: { authorization: `Basic ${btoa(`viewer:${password}`)}` },
    close: () => server.close(),
  };
}
