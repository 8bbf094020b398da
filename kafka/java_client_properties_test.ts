import assert from "node:assert/strict";
import { javaClientProperties } from "./java_client_properties.ts";

Deno.test("java client properties - PLAIN and SCRAM logins, quotes in a password escaped", () => {
  const plain = javaClientProperties({ mechanism: "plain", username: "admin", password: 'a"b\\c' });
  assert.match(plain, /^security\.protocol=SASL_PLAINTEXT$/m);
  assert.match(plain, /^sasl\.mechanism=PLAIN$/m);
  assert.match(
    plain,
    /PlainLoginModule required username="admin" password="a\\"b\\\\c";$/m,
  );
  const scram = javaClientProperties({
    mechanism: "scram-sha-256",
    username: "doctor",
    password: "x",
    ssl: true,
  });
  assert.match(scram, /^security\.protocol=SASL_SSL$/m);
  assert.match(scram, /^sasl\.mechanism=SCRAM-SHA-256$/m);
  assert.match(scram, /ScramLoginModule required username="doctor" password="x";$/m);
});
