/**
 * Islands: SSR markers with escaped JSON props, the hydration script only
 * on pages that use an island, and the bundle served with long caching.
 */
import assert from "node:assert/strict";
import { createApp } from "../main.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import { fakeProbe, FIXTURE_ROOT, statusOf } from "./web_helpers.ts";

const BASE = "http://127.0.0.1:8000";
const app = await createApp({ root: FIXTURE_ROOT, brokerProbe: fakeProbe() });
const html = async (path: string) => await (await app.fetch(new Request(`${BASE}${path}`))).text();

Deno.test("islands - a page with an island has its marker, props and the hydration script", async () => {
  const page = await html("/island?text=hi");
  assert.match(
    page,
    /<freshet-island data-name="Echo" data-props="\{&quot;text&quot;:&quot;hi&quot;\}">/,
  );
  assert.match(
    page,
    /<p class="echo"\s*><span>hi<\/span><button type="button"\s*>0<\/button><\/p>/,
  );
  assert.match(
    page,
    /<script type="module" src="\/_islands\/[0-9a-f]{12}\/shared\/web\/client\/boot\.js">/,
  );
  assert.match(
    page,
    /<link rel="modulepreload" href="\/_islands\/[0-9a-f]{12}\/[^"]*Echo\.js" data-island="Echo">/,
  );
  assert.match(page, /<title>Island &lt;fixture&gt;<\/title>/);
});

Deno.test("islands - a page without islands ships no script at all", async () => {
  const page = await html("/");
  assert.match(page, /<h1>hello<\/h1>/);
  assert.doesNotMatch(page, /<script/i);
  assert.doesNotMatch(page, /modulepreload/);
});

Deno.test("islands - a prop holding script tags is escaped, never executable", async () => {
  const attack = "</script><script>alert(1)</script>";
  const page = await html(`/island?text=${encodeURIComponent(attack)}`);
  assert.doesNotMatch(page, /<script>alert/i);
  assert.doesNotMatch(page, /<\/script><script>/i);
  assert.equal(page.match(/<script/g)?.length, 1, "only the hydration script");
  const props = page.match(/data-props="([^"]*)"/)![1].replaceAll("&quot;", '"').replaceAll(
    "&amp;",
    "&",
  );
  assert.deepEqual(JSON.parse(props), { text: attack });
});

Deno.test("islands - the bundle is served with immutable caching, other builds are 404", async () => {
  const page = await html("/island");
  const boot = page.match(/src="(\/_islands\/[^"]+)"/)![1];
  const echo = page.match(/href="(\/_islands\/[^"]+Echo\.js)"/)![1];
  for (const path of [boot, echo]) {
    const res = await app.fetch(new Request(`${BASE}${path}`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/javascript/);
    assert.match(res.headers.get("cache-control")!, /immutable/);
    assert.match(await res.text(), /import/);
  }
  const stale = await app.fetch(new Request(`${BASE}/_islands/000000000000/islands/Echo.js`));
  assert.equal(stale.status, 404);
  await stale.body?.cancel();
});

Deno.test("home page - lists consumers as text inside the live island", async () => {
  const statuses = new ConsumerStore();
  statuses.update(statusOf({ name: "<img src=x onerror=alert(1)>", lag: 42 }));
  const home = await createApp({ statuses, brokerProbe: fakeProbe() });
  const res = await home.fetch(new Request(`${BASE}/`));
  const page = await res.text();
  assert.equal(res.status, 200);
  assert.match(page, /<freshet-island data-name="ConsumerBoard"/);
  assert.match(page, /&lt;img src=x onerror=alert\(1\)>|&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(page, /<img/);
  assert.match(page, /<td class="num">42<\/td>/);
  assert.match(page, /<link rel="stylesheet" href="\/styles.css">/);
  const css = await home.fetch(new Request(`${BASE}/styles.css`));
  assert.equal(css.status, 200);
  assert.match(css.headers.get("content-type")!, /text\/css/);
  await css.body?.cancel();
});
