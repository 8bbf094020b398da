/**
 * Finds out why a connection to a broker fails at the TLS layer, by
 * talking to the broker directly (tls_probe.ts; no Kafka client, no
 * login): the handshake as configured, and an ApiVersions round trip over
 * it; on a refused certificate, the certificate itself
 * (tls_certificate.ts); on a handshake that breaks off, whether the port
 * answers plaintext Kafka; without TLS, whether the port answers a TLS
 * handshake. KafkaJS only says "Connection error" or "Closed connection",
 * and retries for half a minute.
 */
import type { KafkaTlsConfig } from "./tls_config.ts";
import { explainCertificate } from "./tls_certificate.ts";
import { isCertificateError, isUnreachableError, KafkaTlsError } from "./tls_errors.ts";
import { tlsOptions } from "./tls_options.ts";
import { PROBE_TIMEOUT_MS, speaksPlaintextKafka, tlsHandshake } from "./tls_probe.ts";

export { tlsOptions } from "./tls_options.ts";

/**
 * Why TLS (or its absence) keeps `broker` from being used with `ssl` (no
 * `ssl`: plaintext), or undefined when the transport works or the broker
 * cannot be reached at all (that is not a TLS matter; the Kafka client
 * says so).
 */
export async function diagnoseBroker(
  broker: string,
  ssl: KafkaTlsConfig | undefined,
  options: { timeoutMs?: number } = {},
): Promise<KafkaTlsError | undefined> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  if (ssl === undefined) {
    if (await speaksPlaintextKafka(broker, timeoutMs)) return undefined;
    const tried = await tlsHandshake(broker, { rejectUnauthorized: false }, timeoutMs);
    if (!tried.ok) return undefined;
    return new KafkaTlsError(
      broker,
      "PLAINTEXT_TO_TLS_PORT",
      "it speaks TLS and the client does not. Set KAFKA_SSL=true (and KAFKA_SSL_CA_FILE to the CA that signed its certificate, unless the system trusts it).",
    );
  }
  const tried = await tlsHandshake(broker, tlsOptions(ssl), timeoutMs, true);
  if (tried.ok) return undefined;
  const error = tried.error;
  if (isUnreachableError(error)) return undefined;
  if (isCertificateError(error)) return await explainCertificate(broker, ssl, error, timeoutMs);
  if (await speaksPlaintextKafka(broker, timeoutMs)) {
    return new KafkaTlsError(
      broker,
      "TLS_TO_PLAINTEXT_PORT",
      "it answers without TLS (a plaintext listener). Use the broker's TLS port, or unset KAFKA_SSL and KAFKA_SSL_CA_FILE for this one.",
      error,
    );
  }
  if (/certificate/i.test(error.message)) {
    return new KafkaTlsError(
      broker,
      "TLS_CLIENT_CERT_REFUSED",
      ssl.cert
        ? `the broker refused the client certificate of KAFKA_SSL_CERT_FILE (${error.message}). It must be signed by a CA the broker trusts.`
        : `the broker wants a client certificate (${error.message}). Set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE.`,
      error,
    );
  }
  return new KafkaTlsError(
    broker,
    "TLS_HANDSHAKE_FAILED",
    `the broker ended the handshake (${error.message}).`,
    error,
  );
}

/**
 * Diagnoses every broker of `brokers` at once; rejects with the first
 * TLS fault found. Brokers that cannot be reached are left to the client.
 */
export async function assertBrokerTransport(
  brokers: string[],
  ssl: KafkaTlsConfig | undefined,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const faults = await Promise.all(brokers.map((b) => diagnoseBroker(b, ssl, options)));
  const fault = faults.find((f) => f !== undefined);
  if (fault) throw fault;
}
