import assert from "node:assert/strict";
import { groupInScope, topicInScope } from "./scope.ts";
import { groupName } from "../../shared/kafka/names.ts";

Deno.test("topicInScope - every topic but Kafka's internal ones, under the prefix", async (t) => {
  await t.step("no prefix", () => {
    assert.equal(topicInScope("orders.created", ""), true);
    assert.equal(topicInScope("orders.created.dlq", ""), true);
    assert.equal(topicInScope("__consumer_offsets", ""), false);
    assert.equal(topicInScope("__transaction_state", ""), false);
  });
  await t.step("a prefix", () => {
    assert.equal(topicInScope("staging.orders.created", "staging."), true);
    assert.equal(topicInScope("orders.created", "staging."), false);
  });
});

Deno.test("groupInScope - every group, or the groups of the prefix", async (t) => {
  await t.step("no prefix: all", () => assert.equal(groupInScope("anything", ""), true));
  await t.step("a prefix: the groups Freshet names for it", () => {
    const env = { FRESHET_TOPIC_PREFIX: "staging." };
    assert.equal(groupInScope(groupName(env, "payments-service-group"), "staging."), true);
    assert.equal(groupInScope("staging.reporting", "staging."), true);
    assert.equal(groupInScope("payments-service-group", "staging."), false);
  });
});
