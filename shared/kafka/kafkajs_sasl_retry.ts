/**
 * KafkaJS 2.2.4's SCRAM, PLAIN, OAUTHBEARER and AWS authenticators catch
 * every error of the SASL exchange and throw a `KafkaJSSASLAuthenticationError`
 * carrying only its message — a non-retriable error. So a connection that
 * breaks during the exchange (a broker killed or restarting, a proxy or a
 * load balancer dropping it: `SASL SCRAM SHA256 authentication failed:
 * Connection error: read ECONNRESET`) reads as wrong credentials, and a
 * KafkaJS consumer that meets it crashes without restarting: a Freshet
 * consumer stopped for good on a broker restart (CI, tests/chaos/cluster_test.ts).
 *
 * `retrySaslConnectionLoss` makes a connection's `authenticate` throw such a
 * failure as what it is, a retriable `KafkaJSConnectionError` quoting the SASL
 * error (not as its `cause`: KafkaJS judges a crash by the innermost cause,
 * which would be the non-retriable SASL error again); a refusal by the broker (bad credentials, a mechanism not
 * enabled) stays a SASL error. Like the other patches, it changes KafkaJS's
 * prototype for the whole isolate: the client factory (client.ts) applies it.
 */
// @ts-types="./kafkajs_connection.d.ts"
import Connection from "kafkajs/src/network/connection.js";
import kafkajs from "kafkajs";

/**
 * The messages of KafkaJS's network errors (network/connection.js and its
 * request queue), as an authenticator quotes them after `failed: `.
 */
const CONNECTION_LOST =
  /failed: (Connection error: |Closed connection|Connection timeout|Failed to connect: |Connection closed by the server|Not connected|Request .* timed out)/;

/**
 * `error` as a retriable connection error if it is a SASL failure caused by
 * the connection, not by the broker's answer; otherwise `error` itself.
 */
export function saslConnectionLoss(error: unknown): unknown {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  if (e?.name !== "KafkaJSSASLAuthenticationError") return error;
  if (typeof e.message !== "string" || !CONNECTION_LOST.test(e.message)) return error;
  return new kafkajs.KafkaJSConnectionError(
    `${e.message} (the connection was lost during authentication; it will be retried)`,
  );
}

let patched = false;

/** Makes a connection lost during SASL authentication a retriable error; idempotent. */
export function retrySaslConnectionLoss(): void {
  if (patched) return;
  patched = true;
  const authenticate = Connection.prototype.authenticate;
  Connection.prototype.authenticate = async function (this: Connection) {
    try {
      await authenticate.call(this);
    } catch (error) {
      throw saslConnectionLoss(error);
    }
  };
}
