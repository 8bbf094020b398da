import assert from "node:assert/strict";
import kafkajs from "kafkajs";
import { kafkaRestError, RestProxyError } from "./errors.ts";

// KafkaJS spreads its errors into its exports, which Deno sees only on the default export.
const { KafkaJSConnectionError, KafkaJSError, KafkaJSProtocolError } = kafkajs;

const protocolError = (type: string, retriable: boolean) =>
  Object.assign(new KafkaJSProtocolError("refused"), { type, retriable });

Deno.test("rest proxy errors - Kafka failures outside records get Confluent's codes", () => {
  const cases: [unknown, number, number][] = [
    [protocolError("TOPIC_AUTHORIZATION_FAILED", false), 403, 40301],
    [new KafkaJSConnectionError("Connection error: ECONNREFUSED"), 503, 50302],
    [new KafkaJSError("leader moved", { retriable: true }), 500, 50003],
    [protocolError("INVALID_REQUEST", false), 500, 50002],
    [new TypeError("x is undefined"), 500, 500],
  ];
  for (const [error, status, code] of cases) {
    const e = kafkaRestError(error, "demands.created");
    assert.equal(e.status, status, String(error));
    assert.equal(e.errorCode, code, String(error));
  }
  assert.equal(kafkaRestError(new TypeError("secret"), "t").message, "Internal Server Error");
  const own = new RestProxyError(404, 40401, "Topic not found.");
  assert.equal(kafkaRestError(own, "t"), own);
});
