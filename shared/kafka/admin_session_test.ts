import assert from "node:assert/strict";
import kafkajs from "kafkajs";
import { protocolError } from "./protocol_error_fixture.ts";
import {
  needsFreshClient,
  RENEW_ON_MISSING_TOPIC,
  RENEW_ONCE,
  RENEW_WHILE_LEADER_MOVES,
} from "./admin_session.ts";

Deno.test("admin session - which failures call for a fresh client", () => {
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
  assert.ok(!needsFreshClient(new Error("a bug")));
  assert.ok(!needsFreshClient(null));
});

Deno.test("admin session - the kernel's renewal policies", async (t) => {
  const moving = protocolError("NOT_LEADER_FOR_PARTITION");
  const missing = protocolError("UNKNOWN_TOPIC_OR_PARTITION");
  const refused = protocolError("TOPIC_AUTHORIZATION_FAILED");
  await t.step("RENEW_ONCE: any stale sign, one more call, at once", () => {
    for (const error of [moving, missing, new kafkajs.KafkaJSConnectionError("closed")]) {
      assert.ok(RENEW_ONCE.retryOn(error, 1));
      assert.ok(!RENEW_ONCE.retryOn(error, 2));
    }
    assert.ok(!RENEW_ONCE.retryOn(refused, 1));
    assert.equal(RENEW_ONCE.backoffMs(1), 0);
  });
  await t.step(
    "RENEW_WHILE_LEADER_MOVES: six calls over about 3 s for a move, two for a missing topic",
    () => {
      const calls = (error: unknown) => {
        let n = 1;
        while (RENEW_WHILE_LEADER_MOVES.retryOn(error, n)) n++;
        return n;
      };
      assert.equal(calls(moving), 6);
      assert.equal(calls(missing), 2);
      assert.equal(calls(refused), 1);
      assert.equal(calls(new kafkajs.KafkaJSConnectionError("closed")), 1);
      const waited = [1, 2, 3, 4, 5].reduce(
        (sum, n) => sum + RENEW_WHILE_LEADER_MOVES.backoffMs(n),
        0,
      );
      assert.equal(waited, 3_100);
    },
  );
  await t.step("RENEW_ON_MISSING_TOPIC: a produce refused for a deleted topic, once", () => {
    assert.ok(RENEW_ON_MISSING_TOPIC.retryOn(missing, 1));
    assert.ok(!RENEW_ON_MISSING_TOPIC.retryOn(missing, 2));
    assert.ok(!RENEW_ON_MISSING_TOPIC.retryOn(moving, 1));
  });
});
