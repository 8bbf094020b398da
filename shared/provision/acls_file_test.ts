import assert from "node:assert/strict";
import { oneProblemEach } from "./file_problems_fixture.ts";
import { type AclBinding, formatBinding } from "./acl_binding.ts";
import { parseAclsFile } from "./acls_file.ts";

/** The principals these tests' files may name (the app's come from its root list). */
const TEST_PRINCIPALS = ["admin", "web", "doctor", "orders", "payments", "balances", "monitor"];

const parse = (text: string) =>
  parseAclsFile(text, { fileName: "kafka-acls.txt", principals: TEST_PRINCIPALS });

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
    { fileName: "f", principals: TEST_PRINCIPALS },
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
  await oneProblemEach(t, parse, cases);
});
