/**
 * What the REST proxy adds to the web app's services: which topics it may
 * produce to (`REST_PROXY_TOPICS`), its topic metadata cache, its
 * partitioner and its send batcher, built when the app is created on the
 * web principal's clients. Its handler reaches them as
 * `services.part(restProxyWeb)`.
 */
import { Partitioners } from "kafkajs";
import { kafkaErrorType, withTimeout } from "../../shared/kafka/errors.ts";
import type { WebPart } from "../../shared/web/services.ts";
import { envRestProxyConfig, type RestProxyConfig } from "./config.ts";
import { ERROR_CODES, RestProxyError } from "./errors.ts";
import type { Partitioner } from "./produce.ts";
import { SendBatcher } from "./send_batcher.ts";
import { TopicMetadataCache } from "./topic_metadata.ts";

/** Longest wait for topic metadata or the producer's connection. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The REST proxy's part of an app. */
export interface RestProxyWeb {
  /** Which topics the REST Proxy API may produce to (`REST_PROXY_TOPICS`). */
  config: RestProxyConfig;
  metadata: TopicMetadataCache;
  partitioner: Partitioner;
  batcher: SendBatcher;
}

/** What an app's creator may hand the REST proxy (tests and benchmarks set their topics). */
export interface RestProxyAppOptions {
  /** Topics the REST Proxy API may produce to (default: `REST_PROXY_TOPICS`, checked at start). */
  restProxy?: RestProxyConfig;
}

/** Kafka did not answer in time: reported as unreachable (503). */
export function unreachable(): Error {
  return new RestProxyError(
    503,
    ERROR_CODES.brokerNotAvailable,
    `Kafka did not answer within ${CONNECT_TIMEOUT_MS} ms`,
  );
}

/** The REST proxy's web part. */
export const restProxyWeb: WebPart<RestProxyWeb, RestProxyAppOptions> = {
  name: "rest_proxy",
  create(kernel, options) {
    const lookup = async (topic: string) => {
      const admin = await kernel.kafka.admin();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        return topics[0]?.partitions;
      } catch (error) {
        if (kafkaErrorType(error) === "UNKNOWN_TOPIC_OR_PARTITION") return undefined;
        throw error;
      }
    };
    return {
      config: options.restProxy ?? envRestProxyConfig(),
      metadata: new TopicMetadataCache((topic) =>
        withTimeout(lookup(topic), CONNECT_TIMEOUT_MS, unreachable)
      ),
      partitioner: Partitioners.DefaultPartitioner(),
      batcher: new SendBatcher(() => kernel.kafka.producer()),
    };
  },
};
