/**
 * The project's own kafka-acls.txt, checked against the root list's
 * principals: it parses, and it keeps least privilege (each service may do
 * what its flow needs and nothing of another's).
 */
import assert from "node:assert/strict";
import { PRINCIPALS } from "../freshet.ts";
import { formatBinding } from "../shared/provision/acl_binding.ts";
import { readAclsFile } from "../shared/provision/acls_file.ts";

Deno.test("acls file - the real kafka-acls.txt parses and keeps least privilege", async (t) => {
  const bindings = await readAclsFile(new URL("../kafka-acls.txt", import.meta.url).pathname, {
    principals: PRINCIPALS,
  });
  const has = (principal: string, resource: string, operation: string) =>
    bindings.some((b) =>
      b.principal === principal && formatBinding(b).startsWith(`${principal} ${resource} `) &&
      b.operation === operation && b.permission === "allow"
    );
  await t.step("the seeds' flows are allowed", () => {
    assert.ok(has("web", "topic:demands.created", "WRITE"));
    assert.ok(has("doctor", "topic:demands.created", "READ"));
    assert.ok(has("doctor", "topic:demands.assumed", "WRITE"));
    assert.ok(has("doctor", "group:doctor-*", "READ"));
    assert.ok(has("payments", "topic:orders.created", "READ"));
    assert.ok(has("payments", "group:payments-service-group", "READ"));
    assert.ok(has("orders", "topic:orders.paid", "READ"));
    assert.ok(has("balances", "topic:contas", "WRITE"));
    assert.ok(has("monitor", "topic:*", "READ"));
    assert.ok(has("monitor", "cluster", "DESCRIBE"));
  });
  await t.step("services stay apart", () => {
    assert.ok(!bindings.some((b) => b.principal === "payments" && b.resourceName === "contas"));
    assert.ok(!has("balances", "topic:orders.paid", "WRITE"));
    assert.ok(!bindings.some((b) => b.principal === "monitor" && b.operation === "WRITE"));
    assert.ok(!bindings.some((b) => b.permission === "allow" && b.operation === "ALL"));
  });
  await t.step("the console may change nothing of Kafka's own (__) topics", () => {
    for (const operation of ["CREATE", "DELETE", "ALTER", "ALTER_CONFIGS", "WRITE"]) {
      assert.ok(
        bindings.some((b) =>
          b.principal === "console" && b.resourceType === "topic" && b.patternType === "prefixed" &&
          b.resourceName === "__" && b.operation === operation && b.permission === "deny"
        ),
        `console topic:__* ${operation} deny`,
      );
    }
  });
  await t.step("every topic read or written is also described", () => {
    for (const b of bindings) {
      if (b.permission !== "allow") continue; // a deny needs no DESCRIBE
      if (b.resourceType !== "topic" || !["READ", "WRITE"].includes(b.operation)) continue;
      assert.ok(has(b.principal, `topic:${b.resourceName}`, "DESCRIBE"), formatBinding(b));
    }
  });
  await t.step("every consumer can write the dead letters of what it consumes", () => {
    const consumes: Record<string, string[]> = {
      doctor: ["demands.created", "demands.assumed"],
      orders: ["orders.paid", "orders.failed"],
      payments: ["orders.created"],
      balances: ["contas"],
    };
    for (const [principal, topics] of Object.entries(consumes)) {
      for (const topic of topics) {
        assert.ok(has(principal, `topic:${topic}`, "READ"), `${principal} reads ${topic}`);
        assert.ok(
          has(principal, `topic:${topic}.dlq`, "WRITE"),
          `${principal} writes ${topic}.dlq`,
        );
      }
    }
  });
});
