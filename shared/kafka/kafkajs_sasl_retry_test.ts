import assert from "node:assert/strict";
import kafkajs from "kafkajs";
// @ts-types="./kafkajs_connection.d.ts"
import Connection from "kafkajs/src/network/connection.js";
import { retrySaslConnectionLoss, saslConnectionLoss } from "./kafkajs_sasl_retry.ts";

// KafkaJS's types omit the constructor's message.
const SaslError = kafkajs.KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error;
const sasl = (message: string) => new SaslError(message);

/** KafkaJS's own test of a crash: restart only if the innermost cause is retriable. */
function kafkaJsWouldRestart(error: { retriable?: boolean; cause?: unknown }): boolean {
  let e = error;
  while (e.cause) e = e.cause as typeof e;
  return e.retriable === true;
}

Deno.test("saslConnectionLoss - a connection lost mid-exchange is retriable, a refusal is not", async (t) => {
  await t.step("each network failure KafkaJS quotes after `failed: `", () => {
    for (
      const inner of [
        "Connection error: read ECONNRESET",
        "Closed connection",
        "Connection timeout",
        "Failed to connect: connect ECONNREFUSED 127.0.0.1:9092",
        "Connection closed by the server",
        "Not connected",
        "Request SaslAuthenticate(key: 36, version: 1) timed out",
      ]
    ) {
      const before = sasl(`SASL SCRAM SHA256 authentication failed: ${inner}`);
      assert.equal(kafkaJsWouldRestart(before), false, "KafkaJS's own error is not retriable");
      const after = saslConnectionLoss(before) as Error & { retriable: boolean };
      assert.equal(after.name, "KafkaJSConnectionError", inner);
      assert.equal(kafkaJsWouldRestart(after), true, inner);
      assert.match(after.message, new RegExp(`failed: ${inner.replace(/[()]/g, "\\$&")}`));
    }
  });
  await t.step("the broker's refusals and other errors stay as they were", () => {
    for (
      const error of [
        sasl("SASL SCRAM SHA256: Invalid username or password"),
        sasl(
          "SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256",
        ),
        sasl("SASL PLAIN mechanism is not supported by the server"),
        new kafkajs.KafkaJSConnectionError("Connection error: read ECONNRESET"),
        new Error("failed: Connection error: not a KafkaJS SASL error"),
        undefined,
      ]
    ) assert.equal(saslConnectionLoss(error), error);
  });
});

Deno.test("retrySaslConnectionLoss - patches Connection.authenticate once", async () => {
  const original = Connection.prototype.authenticate;
  retrySaslConnectionLoss();
  const patched = Connection.prototype.authenticate;
  assert.notEqual(patched, original);
  retrySaslConnectionLoss();
  assert.equal(Connection.prototype.authenticate, patched, "idempotent");
  // The patch runs KafkaJS's own authenticate: on a bare object it fails as
  // that would, and what it throws passes through the classification.
  const bare = Object.create(Connection.prototype) as Connection;
  await assert.rejects(() => bare.authenticate(), TypeError);
});
