/**
 * The client-properties file a Kafka tool logs in with, from Freshet's own
 * connection settings (shared/kafka/config.ts): SASL as configured (the
 * local broker: SCRAM-SHA-256 with the principal's password), TLS with the
 * configured CA (and client certificate). Written to a private temporary folder (0700, the file
 * 0600) and removed after the tool exits, so the password is never on a
 * command line.
 */
import type { KafkaConfig } from "../shared/kafka/config.ts";
import { javaClientProperties } from "./java_client_properties.ts";

/**
 * The properties of `config`'s login: TLS trusts the CA of
 * `KAFKA_SSL_CA_FILE` (Kafka reads PEM truststores itself, no keytool
 * needed); `keystore` is the PEM file (key and certificate) of a client
 * certificate, when one is configured.
 */
export function cliProperties(config: KafkaConfig, options: { keystore?: string } = {}): string {
  const ssl = config.ssl !== undefined;
  const lines = config.sasl
    ? javaClientProperties({ ...config.sasl, ssl }).trimEnd().split("\n")
    : [`security.protocol=${ssl ? "SSL" : "PLAINTEXT"}`];
  if (config.ssl?.caFile) {
    lines.push("ssl.truststore.type=PEM", `ssl.truststore.location=${config.ssl.caFile}`);
  }
  if (ssl && options.keystore) {
    lines.push("ssl.keystore.type=PEM", `ssl.keystore.location=${options.keystore}`);
  }
  // The Java client can only skip host-name verification, not the certificate chain.
  if (config.ssl?.rejectUnauthorized === false) {
    lines.push("ssl.endpoint.identification.algorithm=");
  }
  return lines.join("\n") + "\n";
}

/** A private folder holding the properties file; `remove()` deletes both. */
export interface PropertiesFile {
  path: string;
  /** The private folder (other files of the login, e.g. a client keystore, go here too). */
  dir: string;
  remove(): Promise<void>;
}

/** Writes `text` to a new 0600 file in a new 0700 folder under `parent`. */
export async function writePropertiesFile(
  text: string,
  parent: string,
): Promise<PropertiesFile> {
  const dir = await Deno.makeTempDir({ dir: parent, prefix: "freshet-kafka-cli-" });
  await Deno.chmod(dir, 0o700);
  const path = `${dir}/client.properties`;
  await Deno.writeTextFile(path, text, { mode: 0o600, createNew: true });
  return { path, dir, remove: () => Deno.remove(dir, { recursive: true }).catch(() => {}) };
}
