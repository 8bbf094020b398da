import assert from "node:assert/strict";
import { accessProblems, methodAccess, requiredRole } from "./access.ts";

Deno.test("methodAccess - one level for all, or per method, HEAD following GET", () => {
  assert.deepEqual(methodAccess("viewer", "DELETE"), { level: "viewer" });
  const access = { GET: "open", DELETE: { role: "operator", audit: "topic.delete" } } as const;
  assert.deepEqual(methodAccess(access, "HEAD"), { level: "open" });
  assert.deepEqual(methodAccess(access, "DELETE"), { level: "operator", audit: "topic.delete" });
  assert.equal(methodAccess(access, "POST"), undefined, "undeclared: deny");
  assert.equal(methodAccess({ HEAD: "public" }, "GET"), undefined, "GET never follows HEAD");
});

Deno.test("requiredRole - the levels in each login mode", async (t) => {
  const cases: [Parameters<typeof requiredRole>, string | undefined][] = [
    [["public", "POST", "required"], undefined],
    [["open", "POST", "console"], undefined],
    [["open", "GET", "required"], "viewer"],
    [["open", "OPTIONS", "required"], "viewer"],
    [["open", "POST", "required"], "operator"],
    [["open", "DELETE", "required"], "operator"],
    [["viewer", "POST", "console"], "viewer"],
    [["operator", "GET", "console"], "operator"],
  ];
  for (const [args, role] of cases) {
    await t.step(`${args.join(" ")} → ${role ?? "anyone"}`, () => {
      assert.equal(requiredRole(...args), role);
    });
  }
});

Deno.test("accessProblems - what stops the server at start, named", async (t) => {
  const cases: [unknown, string[], RegExp | null][] = [
    ["viewer", ["GET"], null],
    [{ GET: "viewer", POST: { role: "operator", audit: "x" } }, ["GET", "HEAD", "POST"], null],
    [undefined, ["GET"], /declares no access/],
    ["viewers", ["GET"], /access: "viewers" is not one of public, open, viewer, operator/],
    [{ GET: "viewer" }, ["GET", "POST"], /access\.POST is missing \(the route answers it\)/],
    [
      { GET: "viewer", PUT: "operator" },
      ["GET"],
      /access\.PUT is declared but the route does not answer PUT/,
    ],
    [{ FETCH: "viewer" }, ["GET"], /access\.FETCH is not one of GET/],
    [{ GET: { role: "admin" } }, ["GET"], /access\.GET: "admin" is not one of/],
    [{ GET: "viewer" }, ["*"], /answers every method, so access must be one level for all/],
    [["viewer"], ["GET"], /a level or an object of methods/],
  ];
  for (const [access, methods, problem] of cases) {
    await t.step(`${JSON.stringify(access)} for ${methods.join(",")}`, () => {
      const problems = accessProblems(access, methods);
      if (problem === null) assert.deepEqual(problems, []);
      else assert.ok(problems.some((p) => problem.test(p)), problems.join("; "));
    });
  }
});
