/**
 * The running server: the app it is given, listening, plus what only a
 * server has — the bus bridge for consumers started as their own
 * processes, the consumer Workers, and the feed of consumer statuses.
 * `close()` stops all of it in the reverse order. The app is built by its
 * creator (main.ts `serveApp`) with the same statuses and shutdown signal.
 */
import { closeBus, subscribe } from "../bus/bus.ts";
import { busSocketPath, listenBusBridge } from "../bus/bridge.ts";
import {
  type ConsumerEntry,
  type ConsumerWorkers,
  startConsumerWorkers,
} from "../consumer/workers.ts";
import { kafkaEnvNames, kafkaTlsFiles, loadKafkaConfig } from "../kafka/config.ts";
import { readEnv } from "../core/config.ts";
import { grantedKafkaHosts } from "../permissions/kafka_hosts.ts";
import { type ConsumerStore, feedConsumerStore } from "./consumer_store.ts";

/** Where and how a server listens, and which consumers it runs. */
export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** Consumers run as Workers of the server. */
  consumers: ConsumerEntry[];
  /**
   * Listen on `<dataDir>/bus.sock` for standalone consumers (default true;
   * needs `--allow-net=unix:<absolute path of the socket>`).
   */
  busBridge?: boolean;
  /** Kafka variables of the `web` principal: the brokers the Workers may reach (default: read). */
  env?: Record<string, string | undefined>;
}

/** Options of `startServer`: the app to serve, and what it was built with. */
export interface StartServerOptions extends ServeOptions {
  /** The app (its `fetch`), built with `statuses` and `shutdown.signal`. */
  app: { fetch(request: Request, info: Deno.ServeHandlerInfo): Response | Promise<Response> };
  /** The app's consumer statuses: the server feeds them from the bus. */
  statuses: ConsumerStore;
  /** Aborted by `close()` once the consumers stopped: ends the app's streams, closes its clients. */
  shutdown: AbortController;
}

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8000` */
  url: string;
  /** Settles once every consumer Worker started or failed. */
  consumers: ConsumerWorkers["started"];
  /** Stops consumers, live streams, the bridge and the listener. */
  close(): Promise<void>;
}

/** Listens on the bus socket; without the permission, says which flag is missing. */
async function openBridge(dataDir: string): Promise<{ close(): void }> {
  const path = busSocketPath(dataDir);
  try {
    return await listenBusBridge(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    const absolute = decodeURIComponent(new URL(path, `file://${Deno.cwd()}/`).pathname);
    throw new Error(
      `the bus bridge needs --allow-net=unix:${absolute} (standalone consumers reach open pages through it)`,
      { cause: error },
    );
  }
}

/** Serves `options.app` and starts everything around it. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const env = options.env ?? readEnv(kafkaEnvNames("web"));
  const kafka = loadKafkaConfig("web", env);
  const { app, statuses, shutdown } = options;

  await Deno.mkdir(options.dataDir, { recursive: true });
  const bridge = options.busBridge === false ? undefined : await openBridge(options.dataDir);
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      onListen: () => {},
    }, (request, info) => app.fetch(request, info));
  } catch (error) {
    bridge?.close(); // nothing left behind
    shutdown.abort();
    throw error;
  }
  const stopFeed = feedConsumerStore(statuses, subscribe);
  const address = server.addr as Deno.NetAddr;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const url = `http://${host}:${address.port}`;

  // The page is up while the consumers join their groups. A stop before they
  // have all started does not wait for them: a consumer commits its offsets
  // with its SQLite changes, so a hard stop loses nothing. A consumer that
  // fails is reported failed on the bus, so /health answers 503 naming it.
  const consumers = startConsumerWorkers({
    dataDir: options.dataDir,
    brokers: grantedKafkaHosts(kafka),
    tlsFiles: kafkaTlsFiles(env),
    entries: options.consumers,
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    consumers: consumers.started,
    close() {
      closing ??= (async () => {
        await consumers.stop();
        shutdown.abort();
        bridge?.close();
        await server.shutdown();
        stopFeed();
        closeBus();
      })();
      return closing;
    },
  };
}
