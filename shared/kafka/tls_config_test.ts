import assert from "node:assert/strict";
import { ConfigError } from "../core/config.ts";
import { kafkaEnvNames, loadKafkaConfig } from "./config.ts";
import { kafkaTlsFiles, loadTlsConfig } from "./tls_config.ts";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

/** A self-signed certificate and its key (openssl), in `dir`. */
async function keyPair(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const out = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
      ...["-keyout", `${dir}/${name}.key`, "-out", `${dir}/${name}.pem`, "-days", "1"],
      ...["-subj", `/CN=${name}`],
    ],
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return { cert: `${dir}/${name}.pem`, key: `${dir}/${name}.key` };
}

function refused(env: Record<string, string>, message: RegExp) {
  assert.throws(() => loadTlsConfig(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("kafka TLS config - KAFKA_SSL*, files read and checked, refusals naming the variable", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-tls-config-" });
  const ca = `${dir}/ca.pem`;
  const cert = `${dir}/client.pem`;
  const key = `${dir}/client.key`;
  await Deno.writeTextFile(ca, CERT);
  await Deno.writeTextFile(cert, CERT);
  await Deno.writeTextFile(key, KEY);
  try {
    await t.step("no TLS variable: no TLS", () => {
      assert.equal(loadTlsConfig({}), undefined);
      assert.equal(loadKafkaConfig("web", {}).ssl, undefined);
    });
    await t.step("KAFKA_SSL=true alone: the system's CAs, certificates verified", () => {
      assert.deepEqual(loadTlsConfig({ KAFKA_SSL: "true" }), {
        ca: undefined,
        caFile: undefined,
        cert: undefined,
        certFile: undefined,
        key: undefined,
        keyFile: undefined,
        rejectUnauthorized: true,
      });
    });
    await t.step("a CA file implies TLS and is read; its path is kept for messages", () => {
      const tls = loadKafkaConfig("web", { KAFKA_SSL_CA_FILE: ca }).ssl;
      assert.equal(tls?.ca, CERT);
      assert.equal(tls?.caFile, ca);
    });
    await t.step(
      "a client certificate with its key (mutual TLS); a key of another pair refused",
      async () => {
        const pair = await keyPair(dir, "pair");
        const tls = loadTlsConfig({ KAFKA_SSL_CERT_FILE: pair.cert, KAFKA_SSL_KEY_FILE: pair.key });
        assert.equal(tls?.cert, await Deno.readTextFile(pair.cert));
        assert.equal(tls?.key, await Deno.readTextFile(pair.key));
        assert.equal(tls?.rejectUnauthorized, true);
        const other = await keyPair(dir, "other");
        refused(
          { KAFKA_SSL_CERT_FILE: pair.cert, KAFKA_SSL_KEY_FILE: other.key },
          /KAFKA_SSL_KEY_FILE: not the private key of the certificate in KAFKA_SSL_CERT_FILE/,
        );
        refused(
          { KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key },
          /KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE: cannot read the certificate or key/,
        );
      },
    );
    await t.step("readFiles: false keeps the paths and reads nothing", () => {
      const tls = loadTlsConfig({ KAFKA_SSL_CA_FILE: `${dir}/absent.pem` }, { readFiles: false });
      assert.equal(tls?.ca, undefined);
      assert.equal(tls?.caFile, `${dir}/absent.pem`);
    });
    await t.step("KAFKA_SSL_REJECT_UNAUTHORIZED=false", () => {
      assert.equal(
        loadTlsConfig({ KAFKA_SSL: "1", KAFKA_SSL_REJECT_UNAUTHORIZED: "false" })
          ?.rejectUnauthorized,
        false,
      );
    });
    await t.step("refusals", () => {
      refused(
        { KAFKA_SSL_CA_FILE: `${dir}/absent.pem` },
        /KAFKA_SSL_CA_FILE: cannot read .*absent\.pem: no such file/,
      );
      refused(
        { KAFKA_SSL_CA_FILE: key },
        /KAFKA_SSL_CA_FILE: .*client\.key holds no PEM CERTIFICATE/,
      );
      refused(
        { KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: cert },
        /KAFKA_SSL_KEY_FILE: .* holds no PEM PRIVATE KEY/,
      );
      refused(
        { KAFKA_SSL_CERT_FILE: cert },
        /KAFKA_SSL_KEY_FILE: expected with KAFKA_SSL_CERT_FILE/,
      );
      refused({ KAFKA_SSL_KEY_FILE: key }, /KAFKA_SSL_CERT_FILE: expected with KAFKA_SSL_KEY_FILE/);
      refused(
        { KAFKA_SSL: "false", KAFKA_SSL_CA_FILE: ca },
        /KAFKA_SSL: false, but KAFKA_SSL_CA_FILE/,
      );
      refused({ KAFKA_SSL: "maybe" }, /KAFKA_SSL: expected true or false \(got "maybe"\)/);
    });
    await t.step("every TLS variable is read by every principal; the files are listed", () => {
      const names = kafkaEnvNames("doctor");
      for (
        const name of [
          "KAFKA_SSL",
          "KAFKA_SSL_CA_FILE",
          "KAFKA_SSL_CERT_FILE",
          "KAFKA_SSL_KEY_FILE",
          "KAFKA_SSL_REJECT_UNAUTHORIZED",
        ]
      ) {
        assert.ok(names.includes(name), name);
      }
      assert.deepEqual(
        kafkaTlsFiles({
          KAFKA_SSL: "true",
          KAFKA_SSL_CA_FILE: ca,
          KAFKA_SSL_KEY_FILE: key,
          KAFKA_SSL_CERT_FILE: cert,
        }),
        [ca, cert, key],
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
