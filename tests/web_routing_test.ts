/**
 * Route conventions on the fixture app (tests/fixtures/web): file-system
 * routes, params, 404/405, the central error handler, CSRF, body limit.
 */
import assert from "node:assert/strict";
import { createApp } from "../main.ts";
import { fakeProbe, FIXTURE_ROOT } from "./web_helpers.ts";

const BASE = "http://127.0.0.1:8000";
const app = await createApp({ root: FIXTURE_ROOT, brokerProbe: fakeProbe(), maxBodyBytes: 1024 });
const get = (path: string, headers: HeadersInit = {}) =>
  app.fetch(new Request(`${BASE}${path}`, { headers }));

Deno.test("routing - files under routes/ answer at their patterns", async (t) => {
  await t.step("index page", async () => {
    const res = await get("/");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<h1>hello<\/h1>/);
  });
  await t.step("[id] params are decoded", async () => {
    const res = await get("/api/items/a%20b");
    assert.deepEqual(await res.json(), { id: "a b" });
  });
  await t.step("a fixed segment wins over a parameter", async () => {
    assert.deepEqual(await (await get("/api/items/new")).json(), { fixed: true });
  });
  await t.step("[...path] catches the rest", async () => {
    assert.equal(await (await get("/files/a/b/c.txt")).text(), "a/b/c.txt");
  });
  await t.step("files starting with _ are not routes", async () => {
    assert.equal((await get("/_helper")).status, 404);
  });
});

Deno.test("routing - unknown paths get 404 as JSON for APIs and the _404 page otherwise", async () => {
  const api = await get("/api/nothing");
  assert.equal(api.status, 404);
  assert.deepEqual(await api.json(), { error: { status: 404, message: "Not Found" } });
  const page = await get("/nothing", { accept: "text/html" });
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  assert.match(await page.text(), /Fixture 404 for \/nothing/);
});

Deno.test("routing - a method without a handler gets 405 with Allow", async (t) => {
  await t.step("handler object", async () => {
    const res = await app.fetch(new Request(`${BASE}/api/items/1`, { method: "PUT" }));
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, DELETE, HEAD");
    assert.equal((await res.json()).error.status, 405);
  });
  await t.step("page without a handler answers GET only", async () => {
    const res = await app.fetch(new Request(`${BASE}/island`, { method: "DELETE" }));
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    await res.body?.cancel();
  });
  await t.step("HEAD runs GET without a body", async () => {
    const res = await app.fetch(new Request(`${BASE}/api/items/7`, { method: "HEAD" }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
  });
});

Deno.test("routing - errors become JSON or HTML in one place", async (t) => {
  await t.step("HttpError keeps its status and message (JSON when asked)", async () => {
    const res = await get("/boom?status=418", { accept: "application/json" });
    assert.equal(res.status, 418);
    assert.deepEqual(await res.json(), {
      error: { status: 418, message: "teapot <b>refuses</b>" },
    });
  });
  await t.step("HttpError as HTML renders the message as text", async () => {
    const res = await get("/boom?status=418", { accept: "text/html" });
    const html = await res.text();
    assert.equal(res.status, 418);
    assert.match(html, /teapot &lt;b>refuses&lt;\/b>|teapot &lt;b&gt;refuses&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>refuses/);
  });
  await t.step(
    "an unexpected error is a 500 without its details, and only 5xx are logged",
    async () => {
      const logged: string[] = [];
      const original = console.error;
      console.error = (line: string) => logged.push(line);
      try {
        await (await get("/boom?status=418")).body?.cancel();
        await (await get("/nothing")).body?.cancel();
        assert.deepEqual(logged, []);
        const res = await get("/boom", { accept: "application/json" });
        assert.equal(res.status, 500);
        const body = JSON.stringify(await res.json());
        assert.match(body, /Internal Server Error/);
        assert.doesNotMatch(body, /secret database detail/);
      } finally {
        console.error = original;
      }
      assert.equal(logged.length, 1);
      assert.match(logged[0], /status=500 .*secret database detail/);
    },
  );
});

Deno.test("routing - security headers are on every response", async () => {
  const res = await get("/");
  assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("x-frame-options"), "DENY");
  await res.body?.cancel();
});

Deno.test("csrf - cross-site form posts are refused, same-origin and API clients pass", async (t) => {
  const post = (headers: HeadersInit) =>
    app.fetch(new Request(`${BASE}/form`, { method: "POST", headers, body: "a=1" }));
  await t.step("foreign Origin", async () => {
    const res = await post({ origin: "https://evil.example", accept: "text/html" });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /cross-origin request refused/);
  });
  await t.step("Sec-Fetch-Site cross-site without Origin", async () => {
    const res = await post({ "sec-fetch-site": "cross-site" });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });
  await t.step("same origin", async () => {
    const res = await post({ origin: BASE, "sec-fetch-site": "same-origin" });
    assert.equal(await res.text(), "received 3");
  });
  await t.step("API client without Origin", async () => {
    assert.equal((await post({})).status, 200);
  });
});

Deno.test("body limit - a body over the limit gets 413", async (t) => {
  await t.step("declared by Content-Length", async () => {
    const res = await app.fetch(
      new Request(`${BASE}/form`, {
        method: "POST",
        headers: { "content-length": "5000" },
        body: "x".repeat(5000),
      }),
    );
    assert.equal(res.status, 413);
    await res.body?.cancel();
  });
  await t.step("streamed without a length", async () => {
    const chunks = [new Uint8Array(800), new Uint8Array(800)];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const res = await app.fetch(
      new Request(`${BASE}/form`, {
        method: "POST",
        body,
        headers: { accept: "application/json" },
      }),
    );
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.status, 413);
  });
  await t.step("a body within the limit passes", async () => {
    const res = await app.fetch(
      new Request(`${BASE}/form`, { method: "POST", body: "x".repeat(1000) }),
    );
    assert.equal(await res.text(), "received 1000");
  });
});

Deno.test("static files - served from static/ with revalidation, never outside it", async (t) => {
  await t.step("a file, then 304 for its ETag", async () => {
    const res = await get("/hello.txt");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "plain text\n");
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const again = await get("/hello.txt", { "if-none-match": res.headers.get("etag")! });
    assert.equal(again.status, 304);
  });
  await t.step("dot files and escapes are 404", async () => {
    for (const path of ["/.hidden/x.txt", "/%2e%2e/routes/boom.ts", "/..%2fweb_helpers.ts"]) {
      const res = await get(path, { accept: "application/json" });
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
  });
});
