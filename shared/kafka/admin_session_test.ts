import assert from "node:assert/strict";
import kafkajs from "kafkajs";
import { protocolError } from "../../shared/kafka/protocol_error_fixture.ts";
import { needsFreshClient } from "./admin_session.ts";

Deno.test("monitor admin session - which failures call for a fresh client", () => {
  // KafkaJS names error 6 NOT_LEADER_FOR_PARTITION: the session used to know
  // it only by Kafka's newer name and kept a client with stale leaders.
  for (
    const type of [
      "NOT_LEADER_FOR_PARTITION",
      "LEADER_NOT_AVAILABLE",
      "UNKNOWN_TOPIC_OR_PARTITION",
      "NOT_CONTROLLER",
    ]
  ) {
    assert.ok(needsFreshClient(protocolError(type)), type);
  }
  assert.ok(needsFreshClient(new kafkajs.KafkaJSConnectionError("closed")));
  for (const type of ["GROUP_AUTHORIZATION_FAILED", "TOPIC_AUTHORIZATION_FAILED"]) {
    assert.ok(!needsFreshClient(protocolError(type)), `${type}: the client is fine`);
  }
});
