/**
 * ApiVersions (API key 18, v4, else v3): what one broker supports — each
 * API's version range — and, in its tagged fields (KIP-584), the features
 * it supports and those finalized for the cluster (`metadata.version`
 * among them, which names the Kafka release: metadata_versions.ts). KafkaJS
 * sends ApiVersions itself but keeps neither. v3 answers list only the
 * supported features whose lowest version is above 0 (KIP-1022:
 * `metadata.version`), v4 (Kafka 3.9 and later) all of them; a broker
 * refusing v4 answers UNSUPPORTED_VERSION in v0's shape, and v3 is asked.
 * Its response header is v0 even in a flexible version (no tagged
 * fields), unlike every other API.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import type { ProtocolRequest, ProtocolResponse } from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of ApiVersions. */
export const API_VERSIONS_API_KEY = 18;
/** UNSUPPORTED_VERSION: the broker answered in v0's shape, ask an older version. */
export const UNSUPPORTED_VERSION = 35;

/** A feature's version range. */
export interface FeatureRange {
  name: string;
  min: number;
  max: number;
}

/** One broker's answer. */
export interface ApiVersionsAnswer {
  errorCode: number;
  apis: { apiKey: number; min: number; max: number }[];
  /** Features this broker's software supports. */
  supportedFeatures: FeatureRange[];
  /** Features finalized for the cluster (their version levels), -1 epoch when unknown. */
  finalizedFeaturesEpoch: number;
  finalizedFeatures: FeatureRange[];
}

/** Encodes an ApiVersions v3/v4 body (after KafkaJS's header v1: its tagged fields first). */
export function encodeApiVersions(software = "freshet", version = "1"): Uint8Array {
  return new FlexibleWriter().tags().string(software).string(version).tags().bytes();
}

/** Reads an ApiVersions v3/v4 response (response header v0: no tagged fields before it). */
export function decodeApiVersions(payload: Uint8Array): ApiVersionsAnswer {
  const r = new FlexibleReader(payload);
  const errorCode = r.int16();
  const none = {
    apis: [],
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
  };
  if (errorCode === UNSUPPORTED_VERSION) return { errorCode, ...none };
  const apis = r.array(() => {
    const api = { apiKey: r.int16(), min: r.int16(), max: r.int16() };
    r.tags();
    return api;
  });
  r.int32(); // throttle time
  const answer: ApiVersionsAnswer = {
    errorCode,
    apis,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
  };
  r.tags((tag, field) => {
    if (tag === 0) {
      answer.supportedFeatures = field.array(() => {
        const range = { name: field.string(), min: field.int16(), max: field.int16() };
        field.tags();
        return range;
      });
    } else if (tag === 1) {
      answer.finalizedFeaturesEpoch = field.int64();
    } else if (tag === 2) {
      answer.finalizedFeatures = field.array(() => {
        const name = field.string();
        const max = field.int16();
        const min = field.int16();
        field.tags();
        return { name, min, max };
      });
    }
  });
  return answer;
}

/** The request (`version` 4 or 3) for KafkaJS's connection. */
export function apiVersionsRequest(version: 3 | 4 = 4): {
  request: ProtocolRequest;
  response: ProtocolResponse<ApiVersionsAnswer>;
} {
  return {
    request: {
      apiKey: API_VERSIONS_API_KEY,
      apiVersion: version,
      apiName: "ApiVersions",
      encode: () => Promise.resolve(new Encoder().writeBuffer(Buffer.from(encodeApiVersions()))),
    },
    response: {
      decode: (payload) => Promise.resolve(decodeApiVersions(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}
