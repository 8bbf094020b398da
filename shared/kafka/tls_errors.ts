/**
 * A connection to a broker that TLS (or its absence) makes impossible: a
 * certificate the client does not trust, a name it does not cover, TLS
 * spoken to a plaintext port or the reverse. Retrying never helps, so the
 * error is not retriable, and its message names the broker, what is wrong
 * and what to change; `code` says which case it is.
 */
import { FreshetError } from "../core/errors.ts";

/** The cases, as `KafkaTlsError.code`. */
export const TLS_ERROR_CODES = [
  /** The broker's certificate is not signed by a trusted CA (the CA file's, or the system's). */
  "TLS_UNKNOWN_CA",
  /** The broker's certificate has expired. */
  "TLS_CERT_EXPIRED",
  /** The broker's certificate is not valid yet (a clock, or a certificate from the future). */
  "TLS_CERT_NOT_YET_VALID",
  /** The broker's certificate does not cover the name or address the client connected to. */
  "TLS_HOSTNAME_MISMATCH",
  /** The broker's certificate was refused for another reason (the message says which). */
  "TLS_CERT_REJECTED",
  /** The broker refused the client certificate (KAFKA_SSL_CERT_FILE), or wants one and got none. */
  "TLS_CLIENT_CERT_REFUSED",
  /** The broker ended the handshake for another reason (the message says which). */
  "TLS_HANDSHAKE_FAILED",
  /** TLS is configured but the port speaks plaintext Kafka. */
  "TLS_TO_PLAINTEXT_PORT",
  /** TLS is not configured but the port speaks TLS. */
  "PLAINTEXT_TO_TLS_PORT",
] as const;

/** One of `TLS_ERROR_CODES`. */
export type TlsErrorCode = typeof TLS_ERROR_CODES[number];

/** A TLS fault of the connection to `broker`; never retriable. */
export class KafkaTlsError extends FreshetError {
  declare readonly code: TlsErrorCode;
  constructor(readonly broker: string, code: TlsErrorCode, problem: string, cause?: unknown) {
    super(`TLS to the Kafka broker ${broker} failed: ${problem}`, {
      code,
      retriable: false,
      cause,
    });
    this.name = "KafkaTlsError";
  }
}

/** Node's codes for a certificate chain the client does not accept. */
const CHAIN_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Whether a socket error says the client refused the broker's certificate
 * (as opposed to a handshake that broke off, or no connection at all).
 */
export function isCertificateError(error: unknown): boolean {
  return CHAIN_CODES.has(socketCode(error));
}

/** Node's codes for a broker that cannot be reached at all: not a TLS matter. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
]);

/** Whether a socket error says nothing listens there (or the name does not resolve). */
export function isUnreachableError(error: unknown): boolean {
  return UNREACHABLE_CODES.has(socketCode(error));
}

/** A socket error's `code`, or "" without one. */
function socketCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "";
}
