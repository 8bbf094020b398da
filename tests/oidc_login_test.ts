/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, on
 * 127.0.0.1, started by the test): the whole authorization-code flow with
 * PKCE, state and nonce, as a browser follows it — the login page's
 * button, the provider, the callback, the session. A viewer and an
 * operator get their roles from the claim; a missing role claim, an ID
 * token for another audience, an expired ID token and a state that does
 * not match are refused with a page saying why, and audited.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { loadAuthConfig } from "../shared/web/auth/mod.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { TEST_PASSWORDS } from "./auth_helpers.ts";
import { oidcAuth, startTestProvider, type TestProvider } from "./oidc_provider_fixture.ts";
import { createWorldApp } from "./prefixed_world.ts";

const ORIGIN = "http://127.0.0.1";

/** Cookies as a browser keeps them, per origin. */
class CookieJar {
  #cookies = new Map<string, Map<string, string>>();
  take(origin: string, response: Response): void {
    const jar = this.#cookies.get(origin) ?? new Map();
    this.#cookies.set(origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a));
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
  }
  header(origin: string): string {
    return [...(this.#cookies.get(origin) ?? [])].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

interface SignIn {
  /** The callback's answer. */
  response: Response;
  jar: CookieJar;
}

/**
 * Follows the whole flow as a browser: the login page's link, the
 * provider's redirects (its login step picks `provider.mode.account`), the
 * callback; `tamper` may change the callback URL before it is sent.
 */
async function signIn(
  app: Hono<WebEnv>,
  provider: TestProvider,
  options: { next?: string; tamper?: (url: URL) => void; skipAppCookie?: boolean } = {},
): Promise<SignIn> {
  const jar = new CookieJar();
  const page =
    await (await app.fetch(new Request(`${ORIGIN}/login?next=${options.next ?? "/console"}`)))
      .text();
  const href = /<a class="button" href="([^"]+)">Sign in with Test IdP<\/a>/.exec(page)?.[1];
  assert.ok(href, "the login page offers single sign-on");
  let response = await app.fetch(new Request(`${ORIGIN}${href.replaceAll("&amp;", "&")}`));
  assert.equal(response.status, 303);
  jar.take(ORIGIN, response);
  let location = new URL(response.headers.get("location")!);
  assert.equal(location.origin, provider.issuer, "off to the provider");
  assert.equal(location.searchParams.get("code_challenge_method"), "S256");
  assert.ok(location.searchParams.get("state") && location.searchParams.get("nonce"));
  for (let hops = 0; location.origin === provider.issuer; hops++) {
    assert.ok(hops < 10, "too many redirects at the provider");
    response = await fetch(location, {
      redirect: "manual",
      headers: { cookie: jar.header(provider.issuer) },
    });
    jar.take(provider.issuer, response);
    let next = response.headers.get("location");
    if (!next && location.pathname.startsWith("/interaction/")) {
      // The provider's login page: submit its form as the user would.
      const form = await response.text();
      const action = /action="([^"]+)"/.exec(form)![1];
      const login = /name="login" value="([^"]+)"/.exec(form)![1];
      response = await fetch(new URL(action, location), {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: jar.header(provider.issuer),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ login }),
      });
      jar.take(provider.issuer, response);
      next = response.headers.get("location");
    }
    if (!next) assert.fail(`the provider answered ${response.status}: ${await response.text()}`);
    await response.body?.cancel();
    location = new URL(next, location);
  }
  assert.equal(`${location.origin}${location.pathname}`, `${ORIGIN}/login/oidc/callback`);
  options.tamper?.(location);
  response = await app.fetch(
    new Request(location, {
      headers: options.skipAppCookie ? {} : { cookie: jar.header(ORIGIN) },
    }),
  );
  jar.take(ORIGIN, response);
  return { response, jar };
}

async function whoAmI(app: Hono<WebEnv>, jar: CookieJar): Promise<string | undefined> {
  const html = await (await app.fetch(
    new Request(`${ORIGIN}/console`, { headers: { cookie: jar.header(ORIGIN) } }),
  )).text();
  return /<span class="who">([^<]+)<\/span>/.exec(html)?.[1];
}

Deno.test({
  name: "oidc - sign-in with a real OpenID provider: roles from the claim, every refusal explained",
  sanitizeResources: false, // the provider's keep-alive sockets close with its server
  sanitizeOps: false,
  async fn(t) {
    const provider = await startTestProvider(`${ORIGIN}/login/oidc/callback`);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-oidc-" });
    const auth = oidcAuth(provider, { FRESHET_OIDC_CLOCK_TOLERANCE_SECONDS: "0" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth });
    const failures = async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit?action=login`, {
          headers: { authorization: `Basic ${btoa(`operator:${TEST_PASSWORDS.operator}`)}` },
        }),
      );
      const { entries } = await response.json();
      return entries as { user: string | null; result: string; detail: string }[];
    };
    try {
      await t.step("a viewer signs in: a session with the viewer role", async () => {
        provider.mode.account = "vera";
        const { response, jar } = await signIn(app, provider, { next: "/console/audit" });
        const html = await response.text();
        assert.equal(response.status, 200, html);
        assert.match(html, /<meta http-equiv="refresh" content="0;url=\/console\/audit">/);
        assert.match(html, /Signed in as <strong>vera \(viewer\)<\/strong>/);
        assert.equal(await whoAmI(app, jar), "vera");
        const change = await app.fetch(
          new Request(`${ORIGIN}/api/topics`, {
            method: "POST",
            headers: {
              cookie: jar.header(ORIGIN),
              origin: ORIGIN,
              "content-type": "application/json",
            },
            body: "{}",
          }),
        );
        assert.equal(change.status, 403, "a viewer may not change anything");
        await change.body?.cancel();
      });
      await t.step("an operator signs in: the operator role", async () => {
        provider.mode.account = "otto";
        const { response, jar } = await signIn(app, provider);
        assert.equal(response.status, 200);
        assert.match(await response.text(), /otto \(operator\)/);
        const html = await (await app.fetch(
          new Request(`${ORIGIN}/console/topics`, { headers: { cookie: jar.header(ORIGIN) } }),
        )).text();
        assert.match(html, /<span class="who">otto \(operator\)<\/span>/);
        assert.match(html, /Create a topic/, "operator forms shown");
      });
      await t.step("the logins are in the audit log, with the provider", async () => {
        const entries = await failures();
        const ok = entries.filter((e) => e.result === "ok" && e.user !== "operator");
        assert.deepEqual(ok.map((e) => e.user).sort(), ["otto", "vera"]);
        assert.ok(ok.every((e) => JSON.parse(e.detail).via === "oidc"));
      });
      await t.step("no role claim: refused with a page naming the claim", async () => {
        provider.mode.account = "nina";
        const { response, jar } = await signIn(app, provider);
        const html = await response.text();
        assert.equal(response.status, 403);
        assert.match(html, /your Test IdP account has no roles claim, so no role in Freshet/);
        assert.equal(await whoAmI(app, jar), undefined, "no session");
      });
      await t.step("an ID token issued to another client: refused (audience)", async () => {
        provider.mode.account = "otto";
        provider.mode.wrongAudience = true;
        try {
          const { response, jar } = await signIn(app, provider);
          const html = await response.text();
          assert.equal(response.status, 401, html);
          assert.match(
            html,
            /sign-in with Test IdP failed: .*&quot;aud&quot; \(audience\) claim value/,
          );
          assert.equal(await whoAmI(app, jar), undefined);
        } finally {
          provider.mode.wrongAudience = false;
        }
      });
      await t.step("an ID token expired on arrival: refused (exp)", async () => {
        provider.mode.idTokenTtlSeconds = 1;
        provider.mode.tokenDelayMs = 2_500;
        try {
          const { response, jar } = await signIn(app, provider);
          const html = await response.text();
          assert.equal(response.status, 401, html);
          assert.match(
            html,
            /sign-in with Test IdP failed: .*&quot;exp&quot; .*expiration is past current timestamp/,
          );
          assert.equal(await whoAmI(app, jar), undefined);
        } finally {
          provider.mode.idTokenTtlSeconds = 3600;
          provider.mode.tokenDelayMs = 0;
        }
      });
      await t.step("a state that does not match the login: refused", async () => {
        const { response, jar } = await signIn(app, provider, {
          tamper: (url) => url.searchParams.set("state", "forged-state-value"),
        });
        const html = await response.text();
        assert.equal(response.status, 401, html);
        assert.match(html, /sign-in with Test IdP failed: .*state/);
        assert.equal(await whoAmI(app, jar), undefined);
      });
      await t.step("an answer for a login this browser did not start: refused", async () => {
        const { response } = await signIn(app, provider, { skipAppCookie: true });
        assert.equal(response.status, 400);
        assert.match(await response.text(), /this sign-in was not started in this browser/);
      });
      await t.step("every refusal is a failed login in the audit log", async () => {
        const refused = (await failures()).filter((e) => e.result === "refused");
        assert.equal(refused.length, 1, "one row for the source");
        const detail = JSON.parse(refused[0].detail);
        assert.equal(detail.attempts, 5);
        assert.deepEqual(detail.via, ["oidc"]);
        assert.ok(detail.names.includes("nina"));
      });
      await t.step("local users still log in", async () => {
        const response = await app.fetch(
          new Request(`${ORIGIN}/login`, {
            method: "POST",
            body: new URLSearchParams({ name: "viewer", password: TEST_PASSWORDS.viewer }),
          }),
        );
        assert.equal(response.status, 303);
        await response.body?.cancel();
      });
    } finally {
      shutdown();
      await provider.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test("oidc - configuration is checked at start", () => {
  const load = (env: Record<string, string>) => loadAuthConfig(env, { boundHost: "127.0.0.1" });
  assert.equal(load({}).oidc, undefined, "off by default");
  assert.throws(
    () => load({ FRESHET_OIDC_ISSUER: "http://idp.example.com" }),
    /FRESHET_OIDC_ISSUER: expected the provider's https issuer URL/,
  );
  assert.throws(
    () => load({ FRESHET_OIDC_ISSUER: "https://idp.example.com" }),
    /FRESHET_OIDC_CLIENT_ID/,
  );
  assert.throws(
    () =>
      load({
        FRESHET_OIDC_ISSUER: "https://idp.example.com",
        FRESHET_OIDC_CLIENT_ID: "x",
        FRESHET_OIDC_SCOPES: "profile",
      }),
    /FRESHET_OIDC_SCOPES: expected the openid scope/,
  );
  const config = load({
    FRESHET_OIDC_ISSUER: "https://login.example.com/realms/kafka",
    FRESHET_OIDC_CLIENT_ID: "freshet",
    FRESHET_OIDC_ROLE_CLAIM: "realm_access.roles",
    FRESHET_OIDC_OPERATOR_VALUES: "kafka-admin, kafka-ops",
  }).oidc!;
  assert.equal(config.name, "login.example.com");
  assert.deepEqual(config.operatorValues, ["kafka-admin", "kafka-ops"]);
  assert.equal(config.clientSecret, undefined, "a public client");
});
