/**
 * The Confluent-REST-Proxy-v2-compatible produce API (docs/rest_proxy.md):
 * what route files and the server use.
 */
export { handleProduce, type ProduceTarget } from "./handler.ts";
export {
  DEFAULT_REST_PROXY_TOPICS,
  envRestProxyConfig,
  isInternalTopic,
  isTopicAllowed,
  parseRestProxyConfig,
  REST_PROXY_ENV_NAMES,
  type RestProxyConfig,
  type TopicRule,
} from "./config.ts";
export { ERROR_CODES, RECORD_ERROR, RestProxyError } from "./errors.ts";
export {
  KAFKA_AVRO_V2,
  KAFKA_BINARY_V2,
  KAFKA_JSON_V2,
  KAFKA_JSONSCHEMA_V2,
  KAFKA_PROTOBUF_V2,
  KAFKA_V2,
} from "./media.ts";
export { REST_PROXY_SOURCE } from "./produce.ts";
export { restProxyService } from "./rest_proxy_service.ts";
export { type RestProxyAppOptions, restProxyWeb } from "./rest_proxy_part.ts";
