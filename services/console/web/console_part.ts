/**
 * What the console adds to the web app's services: its Kafka clients (its
 * own principal `console`) and its topic reader (pages, searches, live
 * tails), built when the app is created and closed at shutdown. Routes
 * reach them as `ctx.services.part(consoleWeb)`.
 */
import { readEnv } from "../../../shared/core/config.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../../../shared/kafka/config.ts";
import type { WebPart } from "../../../shared/web/services.ts";
import { CONSOLE_PRINCIPAL, type ConsoleKafka, createConsoleKafka } from "../console_kafka.ts";
import { MessageReader } from "../messages/message_reader.ts";
import { loadStreamLimits, STREAM_ENV_NAMES } from "../messages/stream_limits.ts";
import { ReplayRunner } from "../replay/replay_runner.ts";

/** The console's part of an app. */
export interface ConsoleWeb {
  /** Kafka as the console's own principal `console`: admin, producer, cluster. */
  kafka: ConsoleKafka;
  /** The console's topic reader (principal `console`): pages, searches, live tails. */
  messages: MessageReader;
  /** The replays running in this server. */
  replays: ReplayRunner;
}

/** What an app's creator may hand the console (tests inject their own). */
export interface ConsoleAppOptions {
  /** Kafka variables of the `console` principal (default: read from the environment). */
  consoleEnv?: Record<string, string | undefined>;
  /** Kafka clients of the `console` principal (default: built from `consoleEnv`). */
  consoleKafka?: ConsoleKafka;
  /** The console's topic reader (default: on the `console` principal's client). */
  messages?: MessageReader;
}

/** Variables the web server reads for the console. */
export const CONSOLE_WEB_ENV = [...kafkaEnvNames(CONSOLE_PRINCIPAL), ...STREAM_ENV_NAMES];

/** The console's web part. */
export const consoleWeb: WebPart<ConsoleWeb, ConsoleAppOptions> = {
  name: "console",
  create(_kernel, options) {
    const kafka = options.consoleKafka ?? createConsoleKafka(
      loadKafkaConfig(
        CONSOLE_PRINCIPAL,
        options.consoleEnv ?? readEnv(kafkaEnvNames(CONSOLE_PRINCIPAL)),
      ),
    );
    const messages = options.messages ??
      new MessageReader(kafka.client, { limits: loadStreamLimits(readEnv(STREAM_ENV_NAMES)) });
    const replays = new ReplayRunner({ messages, producer: () => kafka.producer() });
    return { kafka, messages, replays };
  },
  async close({ kafka, messages, replays }) {
    await replays.close();
    await Promise.allSettled([messages.close(), kafka.close()]);
  },
};
