import assert from "node:assert/strict";
import { launchTlsFiles, producerProgram } from "./program.ts";

const context = (env: Record<string, string> = {}) => ({
  root: "/srv/freshet",
  env,
  dataDir: "data",
  brokers: ["k1:9092", "k2:9092"],
});

Deno.test("producerProgram - the brokers, the TLS files, its variables; nothing of its own on disk", () => {
  const program = producerProgram({
    name: "produce:x",
    entry: new URL("file:///srv/freshet/services/x/cli/produce.ts"),
    principal: "web",
    env: ["KAFKA_WEB_PASSWORD", "LOG_LEVEL"],
  });
  assert.equal(program.name, "produce:x");
  assert.equal(program.principal, "web");
  assert.deepEqual(program.grant(context({ KAFKA_SSL_CA_FILE: "/etc/ca.pem" })), {
    net: ["k1:9092", "k2:9092"],
    read: ["/etc/ca.pem"],
    write: [],
    env: ["KAFKA_WEB_PASSWORD", "LOG_LEVEL"],
  });
});

Deno.test("launchTlsFiles - the CA, certificate and key the configuration names, absolute", () => {
  assert.deepEqual(launchTlsFiles(context()), []);
  const files = launchTlsFiles(context({
    KAFKA_SSL_CA_FILE: "certs/ca.pem",
    KAFKA_SSL_CERT_FILE: "/etc/c.pem",
    KAFKA_SSL_KEY_FILE: "/etc/c.key",
  }));
  assert.deepEqual(files, [`${Deno.cwd()}/certs/ca.pem`, "/etc/c.pem", "/etc/c.key"]);
});
