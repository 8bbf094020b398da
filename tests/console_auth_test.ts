/**
 * Logins and roles as a user meets them, in process: the login page and
 * session cookie, HTTP Basic for the API, roles, failed-login rate
 * limiting, CSRF (cross-site posts and the session's token), the Host
 * allowlist, `FRESHET_AUTH=required` for the domain pages, and the
 * refusal to start on a public host with default passwords.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../shared/core/config.ts";
import { DEFAULT_PASSWORDS, loadAuthConfig } from "../shared/web/auth/mod.ts";
import { basic, logIn, TEST_PASSWORDS, testAuth } from "./auth_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const ORIGIN = "http://127.0.0.1";

async function worldApp(auth = testAuth()) {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-auth-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth });
  return {
    app,
    async close() {
      shutdown();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

async function errorOf(response: Response): Promise<{ status: number; message: string }> {
  const body = await response.json();
  assert.equal(typeof body.error?.message, "string", JSON.stringify(body));
  return body.error;
}

Deno.test("console auth - anonymous users are sent to the login page or get 401", async (t) => {
  const { app, close } = await worldApp();
  try {
    await t.step("a console page redirects to /login with the way back", async () => {
      const response = await app.fetch(new Request(`${ORIGIN}/console/audit?action=login`));
      assert.equal(response.status, 303);
      assert.equal(
        response.headers.get("location"),
        `/login?next=${encodeURIComponent("/console/audit?action=login")}`,
      );
    });
    await t.step("the console API answers 401 in the kernel's error shape", async () => {
      const response = await app.fetch(new Request(`${ORIGIN}/api/audit`));
      assert.equal(response.status, 401);
      assert.match(response.headers.get("www-authenticate") ?? "", /^Basic realm="Freshet"/);
      assert.deepEqual(await errorOf(response), { status: 401, message: "log in first" });
    });
    await t.step("a browser is never asked for Basic credentials", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit`, { headers: { "sec-fetch-mode": "cors" } }),
      );
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), null);
      await response.body?.cancel();
    });
    await t.step("the domain pages stay open on loopback", async () => {
      for (const path of ["/", "/orders", "/api/balances", "/health"]) {
        const response = await app.fetch(new Request(`${ORIGIN}${path}`));
        assert.equal(response.status, 200, path);
        await response.body?.cancel();
      }
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - login form, session cookie, logout", async (t) => {
  const { app, close } = await worldApp();
  try {
    let cookie = "";
    await t.step("the login page is a form", async () => {
      const html = await (await app.fetch(new Request(`${ORIGIN}/login?next=/console/audit`)))
        .text();
      assert.match(html, /<form method="post" action="\/login"/);
      assert.match(html, /name="next" value="\/console\/audit"/);
    });
    await t.step("a right password opens a session with a strict, expiring cookie", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/login`, {
          method: "POST",
          headers: { origin: ORIGIN },
          body: new URLSearchParams({
            name: "viewer",
            password: TEST_PASSWORDS.viewer,
            next: "/console/audit",
          }),
        }),
      );
      assert.equal(response.status, 303);
      assert.equal(response.headers.get("location"), "/console/audit");
      const setCookie = response.headers.get("set-cookie") ?? "";
      assert.match(setCookie, /^freshet_session=[A-Za-z0-9_-]{40,}/);
      assert.match(setCookie, /; HttpOnly/);
      assert.match(setCookie, /; SameSite=Strict/);
      assert.match(setCookie, /; Max-Age=28800/);
      cookie = setCookie.split(";")[0];
    });
    await t.step("the session reads the console and the header names the user", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/console/audit`, {
          headers: { cookie },
        }),
      );
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /<span class="who">viewer<\/span>/);
      assert.match(html, /<code>login<\/code>/, "the login is in the audit log");
    });
    await t.step("a next outside the app is ignored", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/login`, {
          method: "POST",
          body: new URLSearchParams({
            name: "viewer",
            password: TEST_PASSWORDS.viewer,
            next: "//evil.example/",
          }),
        }),
      );
      assert.equal(response.headers.get("location"), "/");
    });
    await t.step("logout ends the session", async () => {
      const page = await (await app.fetch(
        new Request(`${ORIGIN}/console`, {
          headers: { cookie },
        }),
      )).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
      const response = await app.fetch(
        new Request(`${ORIGIN}/logout`, {
          method: "POST",
          headers: { cookie },
          body: new URLSearchParams({ _csrf: csrf }),
        }),
      );
      assert.equal(response.status, 303);
      assert.match(response.headers.get("set-cookie") ?? "", /freshet_session=; Max-Age=0/);
      const after = await app.fetch(new Request(`${ORIGIN}/api/audit`, { headers: { cookie } }));
      assert.equal(after.status, 401);
      await after.body?.cancel();
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - HTTP Basic for the API; roles", async (t) => {
  const { app, close } = await worldApp(testAuth({ mode: "required" }));
  try {
    await t.step("viewer and operator read the console API", async () => {
      for (const user of ["viewer", "operator"] as const) {
        const response = await app.fetch(
          new Request(`${ORIGIN}/api/audit`, { headers: basic(user) }),
        );
        assert.equal(response.status, 200, user);
        assert.ok(Array.isArray((await response.json()).entries));
      }
    });
    await t.step("a wrong password is refused with 401", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit`, { headers: basic("viewer", "nope") }),
      );
      assert.deepEqual(await errorOf(response), {
        status: 401,
        message: "wrong user name or password",
      });
    });
    await t.step("required mode: domain pages need a login, changes need operator", async () => {
      const page = await app.fetch(new Request(`${ORIGIN}/orders`));
      assert.equal(page.status, 303);
      assert.equal(page.headers.get("location"), "/login?next=%2Forders");
      const api = await app.fetch(new Request(`${ORIGIN}/api/orders`));
      assert.equal(api.status, 401);
      await api.body?.cancel();
      const read = await app.fetch(
        new Request(`${ORIGIN}/api/orders`, { headers: basic("viewer") }),
      );
      assert.equal(read.status, 200);
      await read.body?.cancel();
      const post = await app.fetch(
        new Request(`${ORIGIN}/api/orders`, {
          method: "POST",
          headers: { ...basic("viewer"), "content-type": "application/json" },
          body: "{}",
        }),
      );
      assert.deepEqual(await errorOf(post), {
        status: 403,
        message: "viewer has the viewer role; this needs operator",
      });
      const operator = await app.fetch(
        new Request(`${ORIGIN}/api/orders`, {
          method: "POST",
          headers: { ...basic("operator"), "content-type": "application/json" },
          body: "{}",
        }),
      );
      assert.equal(operator.status, 400, "the operator reaches the route (which refuses {})");
      await operator.body?.cancel();
      const health = await app.fetch(new Request(`${ORIGIN}/health`));
      assert.notEqual(health.status, 401);
      await health.body?.cancel();
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - domain forms carry the session's CSRF token (FRESHET_AUTH=required)", async (t) => {
  const { app, close } = await worldApp(testAuth({ mode: "required" }));
  try {
    const session = await logIn(app, "operator");
    await t.step("the order and demand forms have the hidden field", async () => {
      for (const path of ["/orders", "/demands"]) {
        const html = await (await app.fetch(
          new Request(`${ORIGIN}${path}`, {
            headers: { cookie: session.cookie },
          }),
        )).text();
        assert.ok(html.includes(`name="_csrf" value="${session.csrfToken}"`), path);
      }
    });
    const order = (extra: Record<string, string>) =>
      app.fetch(
        new Request(`${ORIGIN}/orders`, {
          method: "POST",
          headers: { cookie: session.cookie },
          body: new URLSearchParams({
            clientId: "c1",
            clientName: "Ana",
            productId: "p1",
            quantity: "1",
            price: "10",
            ...extra,
          }),
        }),
      );
    await t.step("posted without it (and without Origin), the form is refused", async () => {
      const response = await order({});
      assert.equal(response.status, 403);
      await response.body?.cancel();
    });
    await t.step("posted with it, the form reaches the route", async () => {
      const response = await order({ _csrf: session.csrfToken });
      assert.notEqual(response.status, 403);
      assert.ok([303, 400].includes(response.status), String(response.status));
      await response.body?.cancel();
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - failed logins are rate-limited", async (t) => {
  const { app, close } = await worldApp();
  const attempt = (password: string) =>
    app.fetch(
      new Request(`${ORIGIN}/login`, {
        method: "POST",
        body: new URLSearchParams({ name: "operator", password }),
      }),
    );
  try {
    await t.step("five wrong passwords are each refused with 401", async () => {
      for (let i = 0; i < 5; i++) {
        const response = await attempt(`wrong-${i}`);
        assert.equal(response.status, 401);
        assert.match(await response.text(), /wrong user name or password/);
      }
    });
    await t.step("then even the right password gets 429 with Retry-After", async () => {
      const response = await attempt(TEST_PASSWORDS.operator);
      assert.equal(response.status, 429);
      const retryAfter = Number(response.headers.get("retry-after"));
      assert.ok(retryAfter > 800 && retryAfter <= 900, `Retry-After ${retryAfter}`);
      assert.match(await response.text(), /too many failed logins/);
      // No session (the browser's own cookie for the stream share may be set, not a login).
      assert.doesNotMatch(response.headers.get("set-cookie") ?? "", /freshet_session=/);
    });
    await t.step("HTTP Basic is limited by the same counter", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit`, { headers: basic("operator") }),
      );
      assert.equal((await errorOf(response)).status, 429);
    });
    await t.step("another user is not locked out by them", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit`, { headers: basic("viewer") }),
      );
      assert.equal(response.status, 200);
      const failed = (await response.json()).entries.filter((e: { result: string }) =>
        e.result === "refused"
      );
      assert.equal(failed.length, 1, "one row for the source");
      const detail = JSON.parse(failed[0].detail);
      assert.equal(detail.attempts, 7, "every refused login is counted (5 form, 1 form, 1 Basic)");
      assert.deepEqual(detail.names, ["operator"]);
      assert.deepEqual(detail.via, ["form", "basic"]);
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - CSRF: cross-site posts and posts without the session's token", async (t) => {
  const { app, close } = await worldApp();
  try {
    const session = await logIn(app, "operator");
    const logout = (headers: HeadersInit, body: Record<string, string> = {}) =>
      app.fetch(
        new Request(`${ORIGIN}/logout`, {
          method: "POST",
          headers: { cookie: session.cookie, ...headers },
          body: new URLSearchParams(body),
        }),
      );
    await t.step("a form posted from another site is refused", async () => {
      const response = await logout({
        origin: "http://evil.example",
        "sec-fetch-site": "cross-site",
      }, {
        _csrf: session.csrfToken,
      });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /cross-origin request refused/);
    });
    await t.step("another port of the same host is another origin", async () => {
      const response = await logout({ origin: "http://127.0.0.1:3000" });
      assert.equal(response.status, 403);
      await response.body?.cancel();
    });
    await t.step("without Origin, a post with the cookie but no token is refused", async () => {
      const response = await logout({});
      assert.equal(response.status, 403);
      assert.match(await response.text(), /CSRF token/);
    });
    await t.step("a wrong token is refused", async () => {
      const response = await logout({}, { _csrf: `${session.csrfToken}x` });
      assert.equal(response.status, 403);
      await response.body?.cancel();
    });
    await t.step("the token in the form (or X-CSRF-Token) is accepted", async () => {
      const response = await logout({}, { _csrf: session.csrfToken });
      assert.equal(response.status, 303);
    });
  } finally {
    await close();
  }
});

Deno.test("console auth - Host allowlist against DNS rebinding", async (t) => {
  const { app, close } = await worldApp(testAuth({ allowedHosts: ["freshet.example"] }));
  const get = (host: string) =>
    app.fetch(new Request(`${ORIGIN}/health`, { headers: { host, ...basic("viewer") } }));
  try {
    for (const host of ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "freshet.example"]) {
      await t.step(`${host} is served`, async () => {
        const response = await get(host);
        assert.notEqual(response.status, 403);
        await response.body?.cancel();
      });
    }
    for (const host of ["evil.example:8000", "127.0.0.1.nip.io", "freshet.example.evil"]) {
      await t.step(`${host} is refused`, async () => {
        const response = await get(host);
        assert.equal(response.status, 403);
        assert.match(await response.text(), /is not served here/);
      });
    }
    for (const host of ["a@b", "a, b", "", "a b", "127.0.0.1:99999", "127.0.0.1:x", "[::1"]) {
      await t.step(`a malformed Host ${JSON.stringify(host)} is a 400`, async () => {
        const response = await get(host);
        assert.equal(response.status, 400);
        assert.match(await response.text(), /400 Bad Request: .*Host/);
      });
    }
  } finally {
    await close();
  }
});

Deno.test("console auth - a public host needs passwords of one's own and logins everywhere", async (t) => {
  await t.step("default passwords on 0.0.0.0 stop the server", () => {
    assert.throws(
      () => loadAuthConfig({}, { boundHost: "0.0.0.0" }),
      (error) =>
        error instanceof ConfigError && error.problems.length === 2 &&
        error.problems.every((p) => p.includes("not loopback")),
    );
    assert.throws(
      () =>
        loadAuthConfig({
          FRESHET_VIEWER_PASSWORD: "a-real-one",
          FRESHET_OPERATOR_PASSWORD: DEFAULT_PASSWORDS.operator,
        }, { boundHost: "192.168.1.5" }),
      /FRESHET_OPERATOR_PASSWORD/,
    );
  });
  await t.step("with real passwords it starts, with logins required", () => {
    const config = loadAuthConfig(
      { FRESHET_VIEWER_PASSWORD: "v-pw", FRESHET_OPERATOR_PASSWORD: "o-pw" },
      { boundHost: "0.0.0.0" },
    );
    assert.equal(config.mode, "required");
  });
  await t.step("loopback keeps the defaults and the open domain pages", () => {
    const config = loadAuthConfig({}, { boundHost: "127.0.0.1" });
    assert.equal(config.mode, "console");
    assert.deepEqual(config.users.map((u) => [u.name, u.password]), [
      ["viewer", "viewer-secret"],
      ["operator", "operator-secret"],
    ]);
  });
  await t.step("a malformed value names the variable", () => {
    assert.throws(
      () => loadAuthConfig({ FRESHET_AUTH: "sometimes" }, { boundHost: "127.0.0.1" }),
      /FRESHET_AUTH: expected console or required/,
    );
  });
});
