import assert from "node:assert/strict";
import { openDatabase } from "../../sqlite/sqlite.ts";
import { CONSOLE_MIGRATIONS } from "./console_db.ts";
import { hostNameOf } from "./host_allowlist.ts";
import { isLoopbackHost } from "./loopback.ts";
import { FailureLimiter } from "./rate_limit.ts";
import { parseBasicAuth } from "./basic_auth.ts";
import { createWebAuth } from "./web_auth.ts";
import { loadAuthConfig } from "./auth_config.ts";

Deno.test("failure limiter - locks a key after N failures until the oldest leaves the window", () => {
  let now = 1_000_000;
  const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.retryAfterMs("a"), 0);
    limiter.fail("a");
    now += 10_000;
  }
  assert.equal(limiter.retryAfterMs("a"), 30_000, "first failure at -30 s leaves in 30 s");
  assert.equal(limiter.retryAfterMs("b"), 0, "other keys are not affected");
  now += 30_000;
  assert.equal(limiter.retryAfterMs("a"), 0);
  limiter.fail("a");
  limiter.reset("a");
  assert.equal(limiter.retryAfterMs("a"), 0);
});

Deno.test("host names - parsed from Host, loopback recognised", () => {
  assert.equal(hostNameOf("Example.COM:8000"), "example.com");
  assert.equal(hostNameOf("[::1]:80"), "[::1]");
  for (const bad of ["a b", "x@y", "evil.example/x", "", "h:99999999"]) {
    assert.equal(hostNameOf(bad), undefined, bad);
  }
  for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assert.ok(isLoopbackHost(h), h);
  }
  for (const h of ["0.0.0.0", "192.168.1.5", "example.com", "::"]) {
    assert.ok(!isLoopbackHost(h), h);
  }
});

Deno.test("basic auth - parses user and password; refuses malformed headers", () => {
  assert.deepEqual(parseBasicAuth(`Basic ${btoa("viewer:a:b")}`), {
    name: "viewer",
    password: "a:b",
  });
  assert.equal(parseBasicAuth("Bearer x"), undefined);
  assert.equal(parseBasicAuth(`Basic ${btoa("nocolon")}`), undefined);
  assert.equal(parseBasicAuth("Basic !!!"), undefined);
});

Deno.test("sessions - expire, end at logout, and end when the password changes", async (t) => {
  const db = openDatabase(":memory:", { migrations: CONSOLE_MIGRATIONS });
  let now = Date.UTC(2024, 0, 1);
  const config = loadAuthConfig({ FRESHET_SESSION_HOURS: "1" }, { boundHost: "127.0.0.1" });
  const auth = createWebAuth(config, { db: () => db, now: () => now });
  try {
    await t.step("a session lasts its hours, not more", async () => {
      const { token } = await auth.openSession({ name: "viewer", role: "viewer" });
      assert.equal((await auth.session(token))?.user.name, "viewer");
      now += 3_599_000;
      assert.ok(await auth.session(token));
      now += 2_000;
      assert.equal(await auth.session(token), undefined);
    });
    await t.step("logout ends it", async () => {
      const { token } = await auth.openSession({ name: "operator", role: "operator" });
      await auth.sessions.close(token);
      assert.equal(await auth.session(token), undefined);
    });
    await t.step("the database keeps no token", async () => {
      const { token } = await auth.openSession({ name: "viewer", role: "viewer" });
      const rows = db.prepare("SELECT token_hash FROM sessions").all();
      assert.ok(rows.every((r) => r.token_hash !== token));
    });
    await t.step("a changed password ends the sessions opened with the old one", async () => {
      const { token } = await auth.openSession({ name: "viewer", role: "viewer" });
      const changed = loadAuthConfig({ FRESHET_VIEWER_PASSWORD: "new-one" }, {
        boundHost: "127.0.0.1",
      });
      const after = createWebAuth(changed, { db: () => db, now: () => now });
      assert.equal(await after.session(token), undefined);
      assert.ok(await auth.session(token), "still valid for the old settings");
    });
  } finally {
    db.close();
  }
});
