/**
 * `POST /topics/{topic}` and `POST /topics/{topic}/partitions/{partition}`
 * as the Confluent REST Proxy v2 answers them. The URL names the topic
 * without `FRESHET_TOPIC_PREFIX`; the prefix is applied here, so a client
 * works unchanged under any prefix.
 *
 * Checks, in order: Content-Type (415), REST_PROXY_TOPICS and internal
 * topics (403), the body (400, 422), the topic and partition (404, from
 * cached metadata), then one send with every record (200 with per-record
 * results). `?compression=none|gzip|snappy|lz4|zstd` (Freshet's; the
 * Confluent proxy sets it per proxy) compresses the request's batch; by
 * default the web principal's `KAFKA_WEB_COMPRESSION` / `KAFKA_COMPRESSION`.
 */
import type { Message } from "kafkajs";
import { withTimeout } from "../../shared/kafka/errors.ts";
import { createLogger } from "../../shared/core/log.ts";
import type { RouteContext } from "../../shared/web/route_types.ts";
import type { WebServices } from "../../shared/web/services.ts";
import { isInternalTopic, isTopicAllowed } from "./config.ts";
import { CONNECT_TIMEOUT_MS, restProxyWeb, unreachable } from "./rest_proxy_part.ts";
import { ERROR_CODES, kafkaRestError, RestProxyError } from "./errors.ts";
import { embeddedFormat, isSchemaFormat, jsonResponse, responseType } from "./media.ts";
import { encodeSchemaRecords, type SchemaIds } from "./schema_records.ts";
import { schemaValuesFromEnv } from "../../shared/schema/schema_env.ts";
import { produceRecords } from "./produce.ts";
import { parseRecords } from "./records.ts";
import { COMPRESSION_CODECS, type CompressionCodec } from "../../shared/kafka/codecs/codecs.ts";

const log = createLogger("rest-proxy");

export { CONNECT_TIMEOUT_MS } from "./rest_proxy_part.ts";
/** Longest wait for Kafka's acknowledgement of a request's records. */
export const SEND_TIMEOUT_MS = 30_000;

const LEGAL_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/** The target of a produce request, from the URL. */
export interface ProduceTarget {
  /** The topic as the URL names it (before the prefix). */
  topic: string;
  /** The `{partition}` segment of the partition endpoint. */
  partition?: string;
}

function partitionNotFound(): RestProxyError {
  return new RestProxyError(404, ERROR_CODES.partitionNotFound, "Partition not found.");
}

/** Handles one produce request; every outcome is a v2 response. */
export async function handleProduce(
  req: Request,
  ctx: RouteContext,
  target: ProduceTarget,
): Promise<Response> {
  const type = responseType(req);
  try {
    return jsonResponse(await produce(req, ctx.services, target), 200, type);
  } catch (error) {
    const e = error instanceof RestProxyError ? error : kafkaRestError(error, target.topic);
    if (e.status >= 500) {
      log.error("produce failed", { topic: target.topic, status: e.status, error: e.cause ?? e });
    }
    return jsonResponse({ error_code: e.errorCode, message: e.message }, e.status, type);
  }
}

/** The `compression` query parameter: a codec name, or undefined for the producer's default. */
function requestedCompression(req: Request): CompressionCodec | undefined {
  const value = new URL(req.url).searchParams.get("compression");
  if (value === null || value === "") return undefined;
  if ((COMPRESSION_CODECS as readonly string[]).includes(value)) return value as CompressionCodec;
  throw new RestProxyError(
    422,
    ERROR_CODES.invalidRequest,
    `compression: expected one of ${COMPRESSION_CODECS.join(", ")} (got ${JSON.stringify(value)})`,
  );
}

async function produce(req: Request, services: WebServices, target: ProduceTarget) {
  const format = embeddedFormat(req);
  const compression = requestedCompression(req);
  const topic = `${services.topicPrefix}${target.topic}`;
  if (isInternalTopic(target.topic) || isInternalTopic(topic)) {
    throw new RestProxyError(
      403,
      ERROR_CODES.topicNotAllowed,
      `topic ${target.topic} is internal to Freshet and Kafka and cannot be produced through the REST proxy`,
    );
  }
  const state = services.part(restProxyWeb);
  if (!isTopicAllowed(state.config, target.topic)) {
    throw new RestProxyError(
      403,
      ERROR_CODES.topicNotAllowed,
      `topic ${target.topic} may not be produced through the REST proxy (REST_PROXY_TOPICS)`,
    );
  }
  const urlPartition = target.partition === undefined ? undefined : Number(target.partition);
  if (
    urlPartition !== undefined &&
    (!/^\d{1,10}$/.test(target.partition!) || urlPartition > 2 ** 31 - 1)
  ) throw partitionNotFound();
  const text = await req.text();
  const records = parseRecords(text, {
    format,
    partitionInUrl: urlPartition !== undefined,
  });
  if (!LEGAL_TOPIC.test(topic)) {
    throw new RestProxyError(404, ERROR_CODES.topicNotFound, "Topic not found.");
  }

  let wanted = urlPartition ?? -1;
  for (const r of records) {
    if (r.partition !== undefined && r.partition > wanted) wanted = r.partition;
  }
  let partitions = await state.metadata.get(topic);
  if (partitions && wanted >= partitions.length) {
    partitions = await state.metadata.get(topic, { refresh: true });
  }
  if (!partitions) throw new RestProxyError(404, ERROR_CODES.topicNotFound, "Topic not found.");
  if (urlPartition !== undefined && urlPartition >= partitions.length) throw partitionNotFound();

  let schemaIds: SchemaIds = { key_schema_id: null, value_schema_id: null };
  if (isSchemaFormat(format)) {
    schemaIds = await encodeSchemaRecords(schemaValuesFromEnv(), JSON.parse(text), records, {
      topic,
      format,
    });
  }

  // Connected first, so an unreachable Kafka is a 503 for the request, as before any send.
  await withTimeout(services.kafka.producer(), CONNECT_TIMEOUT_MS, unreachable);
  const send = (t: string, m: Message[]) => state.batcher.send(t, m, { compression });
  const { offsets, failure } = await produceRecords(send, records, {
    topic,
    type: target.topic,
    format,
    partitions,
    partitioner: state.partitioner,
    partition: urlPartition,
    timeoutMs: SEND_TIMEOUT_MS,
  });
  if (failure !== undefined) {
    // Stale metadata (a deleted or shrunk topic) must not outlive the failure it caused.
    state.metadata.invalidate(topic);
    log.warn("records not produced", { topic, error: failure });
  }
  return { ...schemaIds, offsets };
}
