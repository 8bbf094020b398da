/**
 * Where the local development broker (`deno task kafka`, the broker `deno
 * task dev` and `deno task test` ensure) accepts TLS: its SASL_SSL
 * listener, beside the plaintext one, and the CA it made at its first
 * start. One place for the tests and the docs to find them.
 */
import { LOCAL_BROKER } from "./config.ts";

/** The local broker's SASL_SSL listener: the port after LOCAL_BROKER's. */
export const LOCAL_TLS_BROKER = LOCAL_BROKER.replace(
  /:(\d+)$/,
  (_, port: string) => `:${Number(port) + 1}`,
);

/** The local broker's CA (PEM), relative to the project folder. */
export const LOCAL_CA_FILE = "data/kafka/tls/ca.pem";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The CA file's absolute path in this checkout. */
export function localCaPath(): string {
  return `${ROOT}/${LOCAL_CA_FILE}`;
}

/**
 * The variables pointing a program at the local broker's TLS listener:
 * `KAFKA_BROKERS=127.0.0.1:9093 KAFKA_SSL=true KAFKA_SSL_CA_FILE=…/ca.pem`.
 */
export function localTlsEnv(): Record<string, string> {
  return { KAFKA_BROKERS: LOCAL_TLS_BROKER, KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: localCaPath() };
}
