/**
 * The web server entry: parses HOST, PORT and DATA_DIR, starts the server
 * (app, bus bridge, consumer Workers) and stops it all on SIGINT/SIGTERM.
 *
 *   deno task start
 */
import { z } from "zod";
import { listenPort, parseEnv, positiveInt, readEnv, runMain } from "./shared/core/config.ts";
import { consumerEntries, INSTANCE_ENV } from "./freshet.ts";
import { serveApp } from "./main.ts";
import { createLogger } from "./shared/core/log.ts";
import { ProgramError } from "./shared/core/errors.ts";

/** Variables the server itself reads (Kafka ones: see shared/kafka/config.ts). */
export const SERVER_ENV_NAMES = [
  "HOST",
  "PORT",
  "DATA_DIR",
  "FRESHET_TOPIC_PREFIX",
  "HEALTH_OUTBOX_MAX_AGE_MS",
] as const;

/** Longest the server may take to stop on SIGINT/SIGTERM before it exits anyway (exit code 1). */
const STOP_DEADLINE_MS = 30_000;

const schema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: listenPort.default(8000),
  DATA_DIR: z.string().min(1).default("./data"),
  HEALTH_OUTBOX_MAX_AGE_MS: positiveInt.optional(),
  FRESHET_TOPIC_PREFIX: z.string().regex(
    /^[A-Za-z0-9._-]*$/,
    "expected letters, digits, '.', '_' or '-'",
  )
    .default(""),
});

if (import.meta.main) {
  await runMain(async () => {
    const config = parseEnv(schema, readEnv(SERVER_ENV_NAMES));
    const log = createLogger("web");
    const server = await serveApp({
      hostname: config.HOST,
      port: config.PORT,
      dataDir: config.DATA_DIR,
      topicPrefix: config.FRESHET_TOPIC_PREFIX,
      outboxMaxAgeMs: config.HEALTH_OUTBOX_MAX_AGE_MS,
      consumers: consumerEntries(readEnv(INSTANCE_ENV)),
      alerts: { evaluate: true },
    }).catch((error) => {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      throw new ProgramError(
        `${config.HOST}:${config.PORT} is already in use: another server? (stop it, or set PORT)`,
      );
    });
    console.log(`Freshet is serving at ${server.url}; starting the consumers…`);
    server.consumers.then(({ running, failed }) => {
      if (failed.length === 0) {
        console.log(`Freshet is running at ${server.url} (consumers: ${running.join(", ")})`);
        return;
      }
      for (const { error } of failed) console.error(`error: ${error}`);
      console.error(
        `Freshet is serving at ${server.url}, but ${failed.length} consumer(s) failed: ` +
          `${failed.map((f) => f.name).join(", ")}; /health answers 503 naming them.`,
      );
    });
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      log.info("shutting down");
      // Each consumer Worker stops within 25 s whatever the broker does; then it is ended.
      const timer = setTimeout(() => {
        console.error(`error: did not stop within ${STOP_DEADLINE_MS} ms; exiting anyway`);
        Deno.exit(1);
      }, STOP_DEADLINE_MS);
      await server.close();
      clearTimeout(timer);
      Deno.exit(0);
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
  });
}
