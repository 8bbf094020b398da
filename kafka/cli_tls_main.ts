/**
 * The TLS child of `deno task kafka:cli`: `deno run --allow-net=<brokers>
 * --allow-read=<TLS files> --allow-write=<login folder> --allow-env=<the
 * principal's Kafka variables> cli_tls_main.ts <principal> <login folder>`.
 * Checks that TLS (or plaintext) works with the brokers as configured, and
 * with a client certificate writes the Java tool's PEM keystore (the key as
 * PKCS#8 and the certificate in one file, 0600) into the login folder. Prints one JSON
 * line: `{"ok": true, "keystore"?}` or `{"error", "code"}`.
 */
import { createPrivateKey } from "node:crypto";
import { readEnv } from "../shared/core/config.ts";
import { errorCode, errorMessage } from "../shared/core/errors.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { assertBrokerTransport } from "../shared/kafka/tls_diagnosis.ts";

if (import.meta.main) {
  const [principal, loginDir] = Deno.args;
  try {
    const config = loadKafkaConfig(principal, readEnv(kafkaEnvNames(principal)));
    await assertBrokerTransport(config.brokers, config.ssl);
    let keystore: string | undefined;
    if (config.ssl?.cert && config.ssl.key) {
      keystore = `${loginDir}/client-keystore.pem`;
      // Kafka's PEM keystore reads PKCS#8 keys only ("BEGIN PRIVATE KEY"); RSA and EC keys
      // in their own formats are converted.
      const key = createPrivateKey(config.ssl.key).export({ type: "pkcs8", format: "pem" });
      const pem = `${String(key).trim()}\n${config.ssl.cert.trim()}\n`;
      await Deno.writeTextFile(keystore, pem, { mode: 0o600, createNew: true });
    }
    console.log(JSON.stringify({ ok: true, keystore }));
    Deno.exit(0);
  } catch (error) {
    console.log(JSON.stringify({ error: errorMessage(error), code: errorCode(error) }));
    Deno.exit(1);
  }
}
