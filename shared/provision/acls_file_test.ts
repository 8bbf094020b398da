import assert from "node:assert/strict";
import { type AclBinding, formatBinding } from "./acl_binding.ts";
import { parseAclsFile, readAclsFile } from "./acls_file.ts";
import { ProvisionFileError } from "./lines.ts";

function problemsOf(text: string): string[] {
  try {
    parseAclsFile(text, { fileName: "kafka-acls.txt" });
  } catch (error) {
    assert.ok(error instanceof ProvisionFileError, `unexpected ${error}`);
    return error.problems;
  }
  assert.fail("the file was accepted");
}

Deno.test("acls file - one binding per operation; prefixed, wildcard, cluster, deny", () => {
  const bindings = parseAclsFile(
    [
      "# header",
      "web topic:demands.created WRITE,describe",
      "User:doctor group:doctor-* READ   # prefixed",
      "monitor topic:* READ",
      "monitor cluster DESCRIBE",
      "payments topic:contas READ deny",
    ].join("\n"),
    { fileName: "f" },
  );
  assert.deepEqual(bindings.map(formatBinding), [
    "web topic:demands.created WRITE allow",
    "web topic:demands.created DESCRIBE allow",
    "doctor group:doctor-* READ allow",
    "monitor topic:* READ allow",
    "monitor cluster DESCRIBE allow",
    "payments topic:contas READ deny",
  ]);
  assert.deepEqual(
    { ...bindings[2], line: undefined },
    {
      principal: "doctor",
      resourceType: "group",
      patternType: "prefixed",
      resourceName: "doctor-",
      operation: "READ",
      permission: "allow",
      host: "*",
      line: undefined,
    } satisfies AclBinding,
  );
  assert.equal(bindings[3].patternType, "literal");
  assert.equal(bindings[4].resourceName, "kafka-cluster");
});

Deno.test("acls file - a bad line is reported with its file and line number", async (t) => {
  const cases: [string, string, string][] = [
    [
      "unknown principal",
      "\nmallory topic:x READ",
      'kafka-acls.txt:2: unknown principal "mallory"',
    ],
    [
      "unknown operation",
      "web topic:x FROB",
      'kafka-acls.txt:1: unknown operation "FROB" on a topic',
    ],
    [
      "operation not on a group",
      "web group:g WRITE",
      'kafka-acls.txt:1: unknown operation "WRITE" on a group',
    ],
    [
      "unknown resource type",
      "web topik:x READ",
      'kafka-acls.txt:1: unknown resource type "topik"',
    ],
    ["resource without a name", "web topic READ", 'kafka-acls.txt:1: "topic" needs a name'],
    ["star inside a name", "web topic:a*b READ", 'kafka-acls.txt:1: "*" may only end a name'],
    [
      "other cluster name",
      "web cluster:c DESCRIBE",
      'kafka-acls.txt:1: the cluster resource is "cluster"',
    ],
    [
      "bad permission",
      "web topic:x READ maybe",
      'kafka-acls.txt:1: expected allow or deny (got "maybe")',
    ],
    [
      "too few fields",
      "web topic:x",
      'kafka-acls.txt:1: expected "principal resource operations [allow|deny]"',
    ],
    [
      "duplicate binding",
      "web topic:x READ\n\nweb topic:x DESCRIBE,READ",
      "kafka-acls.txt:3: READ on topic:x for web is already given on line 1",
    ],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => {
      const problems = problemsOf(text);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(
        problems[0].startsWith(expected),
        `${problems[0]}\ndoes not start with\n${expected}`,
      );
    });
  }
});

Deno.test("acls file - the real kafka-acls.txt parses and keeps least privilege", async (t) => {
  const bindings = await readAclsFile("kafka-acls.txt");
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
