import assert from "node:assert/strict";
import { NAV } from "../routes/_nav.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";

Deno.test("app shell - every page has the header navigation with the current page marked", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-shell-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  try {
    for (const item of NAV) {
      await t.step(item.href, async () => {
        // The console needs a login; the other pages are open on loopback either way.
        const response = await app.fetch(
          new Request(`http://127.0.0.1${item.href}`, { headers: basic("viewer") }),
        );
        const html = await response.text();
        assert.equal(response.status, 200, html.slice(0, 300));
        const nav = html.match(/<header class="site">.*?<\/header>/s)?.[0];
        assert.ok(nav, "the page has the site header");
        for (const other of NAV.filter((i) => i.href !== "/")) {
          assert.ok(nav.includes(`href="${other.href}"`), `links ${other.href}`);
        }
        const current = [...nav.matchAll(/<a href="([^"]+)" aria-current="page">/g)].map((m) =>
          m[1]
        );
        assert.deepEqual(current, item.href === "/" ? [] : [item.href]);
      });
    }
    await t.step("the home page links every page", async () => {
      const html = await (await app.fetch(new Request("http://127.0.0.1/"))).text();
      const main = html.slice(html.indexOf("<main"));
      for (const item of NAV.filter((i) => i.href !== "/")) {
        assert.ok(main.includes(`href="${item.href}"`), item.href);
      }
      assert.ok(main.includes('href="/health"') && main.includes('href="/metrics"'));
    });
    await t.step("an error page has the shell too", async () => {
      const response = await app.fetch(new Request("http://127.0.0.1/no-such-page"));
      assert.equal(response.status, 404);
      assert.match(await response.text(), /<header class="site">/);
    });
    await t.step("a page without islands still ships no JavaScript", async () => {
      const html = await (await app.fetch(new Request("http://127.0.0.1/no-such-page"))).text();
      assert.doesNotMatch(html, /<script/);
    });
  } finally {
    shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
