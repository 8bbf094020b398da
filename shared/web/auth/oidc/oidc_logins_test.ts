import assert from "node:assert/strict";
import { openDatabase } from "../../../sqlite/sqlite.ts";
import { HttpError } from "../../http_error.ts";
import { CONSOLE_MIGRATIONS } from "../console_db.ts";
import { LOGIN_TTL_MS, readOidcCookie, rememberLogin, takeLogin } from "./oidc_logins.ts";

const pending = (state: string) => ({ state, codeVerifier: `v-${state}`, nonce: `n-${state}` });

Deno.test("oidc logins - used once, expired after the TTL, bounded in number", async (t) => {
  const db = openDatabase(":memory:", { migrations: CONSOLE_MIGRATIONS });
  const now = Date.UTC(2025, 0, 1);
  try {
    await t.step("taken once, with where the user was going", async () => {
      await rememberLogin(db, pending("state-aaaaaaaaaaaaaaaa"), "/console", { now });
      const taken = await takeLogin(db, "state-aaaaaaaaaaaaaaaa", now + 1_000);
      assert.deepEqual(taken, { pending: pending("state-aaaaaaaaaaaaaaaa"), next: "/console" });
      assert.equal(await takeLogin(db, "state-aaaaaaaaaaaaaaaa", now + 1_000), undefined);
      const stored = db.prepare("SELECT state_hash FROM oidc_logins").all();
      assert.equal(stored.length, 0);
    });
    await t.step("too old: refused", async () => {
      await rememberLogin(db, pending("state-bbbbbbbbbbbbbbbb"), "/", { now });
      assert.equal(await takeLogin(db, "state-bbbbbbbbbbbbbbbb", now + LOGIN_TTL_MS), undefined);
    });
    await t.step("a flood of starts is refused once the bound is reached", async () => {
      for (let i = 0; i < 3; i++) {
        await rememberLogin(db, pending(`flood-${i}-aaaaaaaaaaaa`), "/", { now, maxPending: 3 });
      }
      await assert.rejects(
        () => rememberLogin(db, pending("flood-x-aaaaaaaaaaaa"), "/", { now, maxPending: 3 }),
        (e) => e instanceof HttpError && e.status === 503,
      );
      // Expired ones make room again.
      await rememberLogin(db, pending("later-aaaaaaaaaaaaaa"), "/", {
        now: now + LOGIN_TTL_MS + 1,
        maxPending: 3,
      });
    });
    await t.step("the cookie's state is read only when well-formed", () => {
      const req = (cookie: string) => new Request("http://x/", { headers: { cookie } });
      assert.equal(
        readOidcCookie(req("a=1; freshet_oidc=abcdefghijklmnop_-12")),
        "abcdefghijklmnop_-12",
      );
      assert.equal(readOidcCookie(req("freshet_oidc=short")), undefined);
      assert.equal(readOidcCookie(req("freshet_oidc=bad value with spaces!")), undefined);
    });
  } finally {
    db.close();
  }
});
