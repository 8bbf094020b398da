/**
 * Single sign-on in headless Chromium, as a person does it: the console
 * sends them to the login page, "Sign in with Test IdP" takes them to a
 * real OpenID provider on another site (127.0.0.1 while the app is
 * `localhost`), which sends them back; they land on the console, logged in.
 * A redirect straight from the provider's site would not carry the
 * `SameSite=Strict` session cookie; the callback's same-site step must.
 */
import assert from "node:assert/strict";
import { pageErrors } from "./browser.ts";
import { serveConsoleUi } from "./console_browser_helpers.ts";
import { oidcAuth, startTestProvider } from "./oidc_provider_fixture.ts";

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
    const ui = await serveConsoleUi({ auth: oidcAuth(provider), port, timeoutMs: 60_000 });
    try {
      const page = await ui.newTab();
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
      await ui.close();
      await provider.close();
    }
  },
});
