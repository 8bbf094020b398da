import assert from "node:assert/strict";
import kafkajs from "kafkajs";
import { protocolError } from "../kafka/protocol_error_fixture.ts";
import { HttpError } from "./http_error.ts";
import { kafkaHttpError } from "./kafka_http_error.ts";

const console = { doing: "creating topic t", principal: "console" };
const web = {
  doing: "producing to demands.created",
  principal: "web",
  chosenBy: "server" as const,
};

Deno.test("kafkaHttpError - the broker's answer as a status that fits, and a message saying what was done", async (t) => {
  const cases: [string, number][] = [
    ["TOPIC_ALREADY_EXISTS", 409],
    ["UNKNOWN_TOPIC_OR_PARTITION", 404],
    ["GROUP_ID_NOT_FOUND", 404],
    ["NON_EMPTY_GROUP", 409],
    ["INVALID_PARTITIONS", 400],
    ["POLICY_VIOLATION", 400],
    ["MESSAGE_TOO_LARGE", 413],
    ["TOPIC_AUTHORIZATION_FAILED", 502],
    ["CLUSTER_AUTHORIZATION_FAILED", 502],
    ["REQUEST_TIMED_OUT", 502],
    ["LEADER_NOT_AVAILABLE", 503],
    ["NOT_LEADER_FOR_PARTITION", 503],
  ];
  for (const [type, status] of cases) {
    await t.step(`${type}: ${status}`, () => {
      const error = kafkaHttpError(protocolError(type), console);
      assert.equal(error.status, status);
      assert.match(error.message, new RegExp(`^creating topic t: the broker answered ${type}: `));
    });
  }
  await t.step("a partition without a leader says so, and when to try again", () => {
    const error = kafkaHttpError(protocolError("LEADER_NOT_AVAILABLE"), console);
    assert.match(error.message, /has no leader now: the brokers holding it are down/);
  });
  await t.step("an ACL refusal names the principal and the ACL file", () => {
    const error = kafkaHttpError(protocolError("GROUP_AUTHORIZATION_FAILED"), console);
    assert.match(error.message, /\(the console principal lacks an ACL: see kafka-acls\.txt\)$/);
    assert.match(
      kafkaHttpError(protocolError("TOPIC_AUTHORIZATION_FAILED"), web).message,
      /the web principal/,
    );
  });
  await t.step("the cause is kept (the log shows it on a 5xx)", () => {
    const cause = protocolError("TOPIC_AUTHORIZATION_FAILED");
    assert.equal(kafkaHttpError(cause, console).cause, cause);
  });
});

Deno.test("kafkaHttpError - a missing topic is the client's 404 when it named it, the server's 502 when the app did", () => {
  const missing = protocolError("UNKNOWN_TOPIC_OR_PARTITION");
  assert.equal(kafkaHttpError(missing, console).status, 404);
  const server = kafkaHttpError(missing, web);
  assert.equal(server.status, 502);
  assert.match(server.message, /\(deno task topics creates it\)$/);
});

Deno.test("kafkaHttpError - unreachable Kafka is a 503; HttpErrors and unknown errors", () => {
  const down = kafkaHttpError(
    new kafkajs.KafkaJSNumberOfRetriesExceeded(new Error("ECONNREFUSED"), {
      retryCount: 5,
      retryTime: 100,
    }),
    web,
  );
  assert.equal(down.status, 503);
  assert.equal(down.message, "producing to demands.created: Kafka cannot be reached");
  const own = new HttpError(504, "Kafka did not acknowledge within 10000 ms");
  assert.equal(kafkaHttpError(own, web), own);
  const other = kafkaHttpError(new Error("boom"), console);
  assert.equal(other.status, 502);
  assert.equal(other.message, "creating topic t: the broker answered an error: boom");
});
