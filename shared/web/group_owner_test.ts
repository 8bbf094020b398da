import assert from "node:assert/strict";
import { namedGroup } from "./group_owner.ts";

Deno.test("namedGroup - its group under any topic prefix, and nothing else", () => {
  const owner = namedGroup({
    group: "orders-service",
    consumer: "orders",
    replay: "No replay.",
    command: "deno task x",
  });
  assert.equal(owner.consumerOf("orders-service", ""), "orders");
  assert.equal(owner.consumerOf("orders-service-p", "p."), "orders");
  assert.equal(
    owner.consumerOf("orders-service", "p."),
    undefined,
    "the unprefixed group is another deployment's",
  );
  assert.equal(owner.consumerOf("orders-service-x", ""), undefined);
  assert.equal(owner.replay("orders-service"), "No replay.");
  assert.equal(owner.command, "deno task x");
});
