/**
 * Login hardening as an attacker probes it: every spelling of an open
 * redirect in `next`, failed logins (form and HTTP Basic) in the audit log
 * without growing it per attempt, the session cookie and the CSRF check
 * behind a TLS proxy (`FRESHET_PUBLIC_URL`, `FRESHET_TRUSTED_PROXIES`),
 * `Cache-Control: no-store` on what needs a login, and malformed `Host`
 * headers answered 400 on a real socket.
 */
import assert from "node:assert/strict";
import { loadAuthConfig, safeNext } from "../shared/web/auth/mod.ts";
import { basic, TEST_PASSWORDS } from "./auth_helpers.ts";
import { rawRequest } from "./raw_http.ts";
import { testApp } from "./test_app.ts";

const ORIGIN = "http://127.0.0.1";

/** Hostile `next` values: each must send the browser to `/`. */
const HOSTILE_NEXT = [
  "//evil.example/x",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\nSet-Cookie: a=b",
  "/%09/127.0.0.9:8099/x",
  "/%0a/x",
  "/%0d%0aSet-Cookie:%20a=b",
  "/%00",
  "/%7f",
  "/%c2%85",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "%2F%2Fevil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%255Cevil.example",
  "/%2509/evil.example",
  "/%252F%252Fevil.example",
  "/%25252F%25252Fevil.example",
  "/x\u0000y",
  "/x\u007f",
  "/x\u0085",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "evil.example",
  "",
  "/%",
  "/%zz",
  `/${"a".repeat(3000)}`,
];

/** Same-origin paths that must come back as they are (serialised). */
const KEPT_NEXT: [string, string][] = [
  ["/console/audit?action=login", "/console/audit?action=login"],
  ["/console/topics/a%20b/messages?value=x#top", "/console/topics/a%20b/messages?value=x#top"],
  ["/console", "/console"],
  ["/café", "/caf%C3%A9"],
  ["/a//b", "/a//b"],
];

/** The app with the test passwords and `env`'s login settings; `listen` serves it. */
function tempApp(env: Record<string, string> = {}, options: { listen?: boolean } = {}) {
  const auth = loadAuthConfig({
    FRESHET_VIEWER_PASSWORD: TEST_PASSWORDS.viewer,
    FRESHET_OPERATOR_PASSWORD: TEST_PASSWORDS.operator,
    ...env,
  }, { boundHost: "127.0.0.1" });
  return testApp({ auth, listen: options.listen });
}

function login(
  app: { fetch: (r: Request) => Response | Promise<Response> },
  next: string,
  headers: HeadersInit = {},
  origin = ORIGIN,
) {
  return app.fetch(
    new Request(`${origin}/login`, {
      method: "POST",
      headers,
      body: new URLSearchParams({ name: "viewer", password: TEST_PASSWORDS.viewer, next }),
    }),
  );
}

Deno.test("login hardening - next is a path of this app, whatever its spelling", async (t) => {
  await t.step(`safeNext: ${HOSTILE_NEXT.length} hostile values give /`, () => {
    for (const next of HOSTILE_NEXT) assert.equal(safeNext(next), "/", JSON.stringify(next));
  });
  await t.step("safeNext: same-origin paths are kept", () => {
    for (const [next, kept] of KEPT_NEXT) assert.equal(safeNext(next), kept, next);
  });
  const { app, close } = await tempApp();
  try {
    await t.step("the login form: 303 to /, never a 500, for each hostile next", async () => {
      for (const next of HOSTILE_NEXT) {
        const response = await login(app, next);
        await response.body?.cancel();
        assert.equal(response.status, 303, JSON.stringify(next));
        assert.equal(response.headers.get("location"), "/", JSON.stringify(next));
      }
      for (const [next, kept] of KEPT_NEXT) {
        const response = await login(app, next);
        await response.body?.cancel();
        assert.equal(response.headers.get("location"), kept, next);
      }
    });
    await t.step("the login page never echoes a hostile next into its form", async () => {
      for (
        const next of HOSTILE_NEXT.filter((n) =>
          ![...n].some((c) => c.charCodeAt(0) < 0x20) && n.length < 100
        )
      ) {
        const html = await (await app.fetch(
          new Request(`${ORIGIN}/login?next=${encodeURIComponent(next)}`),
        )).text();
        assert.match(html, /name="next" value="\/"/, JSON.stringify(next));
      }
    });
  } finally {
    await close();
  }
});

Deno.test("login hardening - every failed login is audited, one row per source", async (t) => {
  const { app, close } = await tempApp();
  const entries = async () => {
    const response = await app.fetch(
      new Request(`${ORIGIN}/api/audit?action=login&limit=100`, { headers: basic("operator") }),
    );
    return (await response.json()).entries as {
      user: string | null;
      result: string;
      target: string;
      detail: string;
    }[];
  };
  try {
    await t.step("form, Basic with a wrong password, Basic with an unknown user", async () => {
      const form = await app.fetch(
        new Request(`${ORIGIN}/login`, {
          method: "POST",
          body: new URLSearchParams({ name: "viewer", password: "wrong" }),
        }),
      );
      assert.equal(form.status, 401);
      await form.body?.cancel();
      for (
        const headers of [basic("viewer", "wrong"), { authorization: `Basic ${btoa("mallory:x")}` }]
      ) {
        const response = await app.fetch(new Request(`${ORIGIN}/api/audit`, { headers }));
        assert.equal(response.status, 401);
        await response.body?.cancel();
      }
      const refused = (await entries()).filter((e) => e.result === "refused");
      assert.equal(refused.length, 1);
      assert.equal(refused[0].user, null);
      assert.equal(refused[0].target, "client:local");
      const detail = JSON.parse(refused[0].detail);
      assert.equal(detail.attempts, 3);
      assert.deepEqual(detail.names, ["viewer", "mallory"]);
      assert.deepEqual(detail.via, ["form", "basic"]);
      assert.equal(detail.lastReason, "wrong user name or password");
    });
    await t.step("300 more anonymous failures from the source add no row", async () => {
      for (let i = 0; i < 300; i++) {
        const response = await app.fetch(
          new Request(`${ORIGIN}/api/audit`, { headers: basic("viewer", `w${i}`) }),
        );
        await response.body?.cancel();
        assert.ok([401, 429].includes(response.status));
      }
      const refused = (await entries()).filter((e) => e.result === "refused");
      assert.equal(refused.length, 1);
      const detail = JSON.parse(refused[0].detail);
      assert.equal(detail.attempts, 303);
      assert.match(detail.lastReason, /too many failed logins/);
    });
  } finally {
    await close();
  }
});

Deno.test("login hardening - anonymous failures from many sources are capped on their own", async () => {
  const { port, close } = await tempApp({
    FRESHET_TRUSTED_PROXIES: "127.0.0.1",
    FRESHET_AUDIT_MAX_FAILED_LOGINS: "20",
  }, { listen: true });
  try {
    const operatorAction = await rawRequest(port, "POST", "/login", {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: `http://127.0.0.1:${port}`,
      },
      body: new URLSearchParams({ name: "operator", password: TEST_PASSWORDS.operator }).toString(),
    });
    assert.equal(operatorAction.status, 303, "a login to keep");
    for (let i = 0; i < 250; i++) {
      const response = await rawRequest(port, "GET", "/api/audit", {
        headers: {
          ...basic("viewer", "wrong") as Record<string, string>,
          "x-forwarded-for": `198.51.100.${i % 250}, 127.0.0.1`,
        },
      });
      assert.equal(response.status, 401);
    }
    const response = await rawRequest(port, "GET", "/api/audit?action=login&limit=500", {
      headers: basic("operator") as Record<string, string>,
    });
    const { entries } = JSON.parse(response.body) as {
      entries: { user: string | null; result: string; client: string }[];
    };
    const anonymous = entries.filter((e) => e.user === null);
    assert.ok(
      anonymous.length <= 20 + 100,
      `${anonymous.length} rows (cap 20, pruned every 100 entries)`,
    );
    assert.ok(anonymous.length < 250, "capped");
    assert.ok(
      anonymous.every((e) => e.client.startsWith("198.51.100.")),
      "X-Forwarded-For of the trusted proxy",
    );
    assert.ok(
      entries.some((e) => e.user === "operator" && e.result === "ok"),
      "users' entries kept",
    );
  } finally {
    await close();
  }
});

Deno.test("login hardening - behind a TLS proxy: Secure cookie and the public origin for CSRF", async (t) => {
  await t.step("FRESHET_PUBLIC_URL", async () => {
    const { app, close } = await tempApp({ FRESHET_PUBLIC_URL: "https://freshet.example" });
    try {
      const ok = await login(app, "/console", { origin: "https://freshet.example" });
      assert.equal(ok.status, 303);
      assert.match(ok.headers.get("set-cookie") ?? "", /; Secure/);
      const local = await login(app, "/console", { origin: ORIGIN });
      assert.equal(local.status, 403, "the request's own http origin is not the public one");
      await local.body?.cancel();
      const session = (ok.headers.get("set-cookie") ?? "").split(";")[0];
      const logout = await app.fetch(
        new Request(`${ORIGIN}/logout`, {
          method: "POST",
          headers: { cookie: session, origin: "https://freshet.example" },
        }),
      );
      assert.equal(logout.status, 303, "a session's change from the public origin passes");
    } finally {
      await close();
    }
  });
  await t.step("a malformed public URL stops the server, named", () => {
    for (const value of ["freshet.example", "ftp://x", "https://x/prefix", "https://u:p@x"]) {
      assert.throws(
        () => loadAuthConfig({ FRESHET_PUBLIC_URL: value }, { boundHost: "127.0.0.1" }),
        /FRESHET_PUBLIC_URL: expected the origin/,
        value,
      );
    }
    assert.throws(
      () => loadAuthConfig({ FRESHET_TRUSTED_PROXIES: "10.0.0.0/33" }, { boundHost: "127.0.0.1" }),
      /FRESHET_TRUSTED_PROXIES: "10.0.0.0\/33" is not an address or CIDR block/,
    );
  });
  for (const trusted of [true, false]) {
    await t.step(
      `X-Forwarded-Proto/Host from ${trusted ? "a trusted" : "an untrusted"} proxy`,
      async () => {
        const { port, close } = await tempApp({
          FRESHET_ALLOWED_HOSTS: "freshet.example",
          FRESHET_TRUSTED_PROXIES: trusted ? "127.0.0.0/8,::1" : "",
        }, { listen: true });
        const post = (extra: Record<string, string>) =>
          rawRequest(port, "POST", "/login", {
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-forwarded-proto": "https",
              "x-forwarded-host": "freshet.example",
              ...extra,
            },
            body: new URLSearchParams({ name: "viewer", password: TEST_PASSWORDS.viewer })
              .toString(),
          });
        try {
          const fromPublic = await post({ origin: "https://freshet.example" });
          if (trusted) {
            assert.equal(fromPublic.status, 303, fromPublic.body);
            assert.match(fromPublic.headers.get("set-cookie") ?? "", /; Secure/);
          } else {
            assert.equal(fromPublic.status, 403, "forwarded headers of anyone are ignored");
          }
          const evilHost = await post({
            origin: "https://evil.example",
            "x-forwarded-host": "evil.example",
          });
          assert.equal(evilHost.status, 403, "a forwarded host outside the allowlist");
          if (trusted) {
            const badProto = await post({ "x-forwarded-proto": "gopher" });
            assert.equal(badProto.status, 400);
            const badHost = await post({ "x-forwarded-host": "bad host, freshet.example" });
            assert.equal(badHost.status, 400, "the first value counts, and it is malformed");
          }
        } finally {
          await close();
        }
      },
    );
  }
});

Deno.test("login hardening - no-store on what needs a login, 400 for a malformed Host on the wire", async (t) => {
  const { app, close } = await tempApp();
  try {
    await t.step("console pages and APIs, the login page", async () => {
      for (
        const [path, headers] of [
          ["/console/audit", basic("viewer")],
          ["/api/audit", basic("viewer")],
          ["/api/topics", basic("viewer")],
          ["/console", {}],
          ["/api/acls", {}],
          ["/login", {}],
          ["/orders", basic("viewer")],
        ] as [string, HeadersInit][]
      ) {
        const response = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }));
        await response.body?.cancel();
        assert.match(
          response.headers.get("cache-control") ?? "",
          /no-store/,
          `${path} (${response.status})`,
        );
      }
    });
    await t.step("static files keep their revalidation", async () => {
      const response = await app.fetch(new Request(`${ORIGIN}/styles.css`));
      await response.body?.cancel();
      assert.equal(response.headers.get("cache-control"), "no-cache");
    });
  } finally {
    await close();
  }
  await t.step("Host headers on a real socket", async () => {
    const { port, close } = await tempApp({}, { listen: true });
    try {
      for (const host of ["a, b", "", "a b", "127.0.0.1:99999", "127.0.0.1:abc", "[::1", "a@b"]) {
        const response = await rawRequest(port, "GET", "/health", { headers: { host } });
        assert.equal(response.status, 400, JSON.stringify(host));
      }
      const fine = await rawRequest(port, "GET", "/health", {});
      assert.notEqual(fine.status, 400);
    } finally {
      await close();
    }
  });
});
