import assert from "node:assert/strict";
import { canonicalRequest, decodeUnreserved, hostProblem } from "./canonical_request.ts";

Deno.test("canonical request - unreserved escapes decoded, every other kept", () => {
  assert.equal(decodeUnreserved("/%61pi/%41CLS/a%2Db%2ec%5Fd%7Ee%30"), "/api/ACLS/a-b.c_d~e0");
  for (const kept of ["%2F", "%25", "%3B", "%20", "%2561", "%5C", "%3F", "%23"]) {
    assert.equal(decodeUnreserved(`/a${kept}`), `/a${kept}`, kept);
  }
});

Deno.test("canonical request - one URL for every spelling, 400 for a malformed Host", async (t) => {
  await t.step("dot segments and escapes", () => {
    const req = canonicalRequest(new Request("http://h/x/%2e%2e/%61pi/acls?q=%61"));
    assert.ok(req instanceof Request);
    assert.equal(req.url, "http://h/api/acls?q=%61", "the query is not the path");
  });
  await t.step("a canonical request is passed on untouched", () => {
    const original = new Request("http://h/api/acls");
    assert.equal(canonicalRequest(original), original);
  });
  await t.step("malformed Host headers", () => {
    for (const host of ["a, b", "", " ", "a b", "h:99999", "h:x", "[::1", "a@b", "a/b"]) {
      assert.ok(hostProblem(host), JSON.stringify(host));
      const response = canonicalRequest(new Request("http://h/", { headers: { host } }));
      assert.ok(response instanceof Response && response.status === 400, JSON.stringify(host));
    }
    for (const host of ["h", "h:8000", "127.0.0.1:1", "[::1]:8000", "Example.COM"]) {
      assert.equal(hostProblem(host), undefined, host);
    }
  });
});
