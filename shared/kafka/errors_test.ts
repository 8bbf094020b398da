import assert from "node:assert/strict";
import { isLeaderMoving } from "./errors.ts";
import { protocolError } from "./protocol_error_fixture.ts";

Deno.test("kafka errors - KafkaJS's and Kafka's names for a moving leader are recognised", () => {
  assert.ok(isLeaderMoving(protocolError("NOT_LEADER_FOR_PARTITION")));
  assert.ok(isLeaderMoving(protocolError("NOT_LEADER_OR_FOLLOWER")));
  assert.ok(isLeaderMoving(protocolError("LEADER_NOT_AVAILABLE")));
  const wrapped = new Error("retries exhausted", {
    cause: protocolError("NOT_LEADER_FOR_PARTITION"),
  });
  assert.ok(isLeaderMoving(wrapped), "through the cause chain");
  assert.ok(!isLeaderMoving(protocolError("TOPIC_AUTHORIZATION_FAILED")));
  assert.ok(!isLeaderMoving(new Error("plain")));
});
