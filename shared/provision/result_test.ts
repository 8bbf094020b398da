import assert from "node:assert/strict";
import { emptyResult, formatSummary, mergeResults } from "./result.ts";

Deno.test("provision results - merged in order; a dry run anywhere makes the merge one", () => {
  const a = emptyResult();
  a.created.push({ kind: "topic", name: "a" });
  const b = emptyResult(true);
  b.created.push({ kind: "topic", name: "b" });
  b.errors.push({ kind: "acl", name: "x", detail: "refused" });
  const merged = mergeResults(a, b);
  assert.equal(merged.dryRun, true);
  assert.deepEqual(merged.created.map((i) => i.name), ["a", "b"]);
  assert.equal(merged.errors.length, 1);
  assert.equal(mergeResults().dryRun, false);
});

Deno.test("provision summary - counts per kind, one line per finding, an ACL's operations on one line", () => {
  const result = emptyResult(true);
  result.created.push(
    { kind: "topic", name: "orders.created", detail: "would create" },
    { kind: "acl", name: "web topic:demands.created WRITE allow", detail: "would create" },
    { kind: "acl", name: "web topic:demands.created DESCRIBE allow", detail: "would create" },
    { kind: "acl", name: "doctor group:doctor-* READ allow", detail: "would create" },
  );
  result.unchanged.push({ kind: "topic", name: "contas" });
  result.drift.push({
    kind: "topic",
    name: "clients",
    detail: "cleanup.policy=delete, want compact",
  });
  result.errors.push({ kind: "acl", name: "x topic:y READ allow", detail: "denied" });
  assert.equal(
    formatSummary(result),
    [
      "dry run: nothing was changed on the broker",
      "topics: 1 created, 1 unchanged, 0 changed, 1 drift, 0 errors",
      "acls:   3 created, 0 unchanged, 0 changed, 0 drift, 1 error",
      "  + topic orders.created: would create",
      "  + acl web topic:demands.created WRITE,DESCRIBE allow: would create",
      "  + acl doctor group:doctor-* READ allow: would create",
      "  ! topic clients: cleanup.policy=delete, want compact",
      "  x acl x topic:y READ allow: denied",
    ].join("\n"),
  );
});
