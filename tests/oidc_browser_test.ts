/**
 * Single sign-on in headless Chromium, as a person does it: the console
 * sends them to the login page, "Sign in with Test IdP" takes them to a
 * real OpenID provider on another site (127.0.0.1 while the app is
 * `localhost`), which sends them back; they land on the console, logged in.
 * A redirect straight from the provider's site would not carry the
 * `SameSite=Strict` session cookie; the callback's same-site step must.
 */
import assert from "node:assert/strict";
import { loadAuthConfig } from "../shared/web/auth/mod.ts";
import { startServer } from "../shared/web/serve.ts";
import { TEST_PASSWORDS } from "./auth_helpers.ts";
import { launchBrowser, pageErrors } from "./browser.ts";
import { OIDC_CLIENT, startTestProvider } from "./oidc_provider_fixture.ts";
import { fakeProbe } from "./web_helpers.ts";

Deno.test({
  name: "oidc browser - a person signs in through the provider and lands on the console",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const reserved = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (reserved.addr as Deno.NetAddr).port;
    reserved.close();
    const appUrl = `http://localhost:${port}`;
    const provider = await startTestProvider(`${appUrl}/login/oidc/callback`);
    provider.mode.account = "otto";
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-oidc-browser-" });
    const server = await startServer({
      hostname: "127.0.0.1",
      port,
      dataDir,
      topicPrefix: "",
      env: {},
      consumers: [],
      busBridge: false,
      brokerProbe: fakeProbe(),
      auth: loadAuthConfig({
        FRESHET_VIEWER_PASSWORD: TEST_PASSWORDS.viewer,
        FRESHET_OPERATOR_PASSWORD: TEST_PASSWORDS.operator,
        FRESHET_OIDC_ISSUER: provider.issuer,
        FRESHET_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        FRESHET_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        FRESHET_OIDC_NAME: "Test IdP",
      }, { boundHost: "127.0.0.1" }),
    });
    const chromium = await launchBrowser();
    const timer = setTimeout(() => chromium.close(), 60_000);
    try {
      const page = await chromium.browser.newPage();
      const errors = pageErrors(page);
      await page.goto(`${appUrl}/console/topics`);
      assert.match(page.url(), /\/login\?next=%2Fconsole%2Ftopics$/);
      const visited: string[] = [];
      page.on("request", (request) => visited.push(new URL(request.url()).origin));
      await Promise.all([page.waitForNavigation(), page.click(".sso a.button")]);
      assert.equal(new URL(page.url()).origin, provider.issuer, "the provider's login page");
      await page.click('button[type="submit"]'); // the provider's form, posted from its site
      await page.waitForFunction(
        () =>
          location.pathname === "/console/topics" && document.querySelector(".console-nav .who"),
        { timeout: 20_000 },
      );
      assert.ok(visited.includes(provider.issuer), "the provider was visited");
      const who = await page.$eval(".console-nav .who", (e) => e.textContent);
      assert.equal(who, "otto (operator)");
      assert.deepEqual(errors, []);
    } finally {
      clearTimeout(timer);
      await chromium.close();
      await server.close();
      await provider.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
