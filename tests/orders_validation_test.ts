/**
 * The orders API's input checks, in process (no broker needed): every
 * problem of a new order is listed, bad JSON and bad queries are 400.
 */
import assert from "node:assert/strict";
import { createApp } from "../main.ts";
import { fakeProbe } from "./web_helpers.ts";

async function withApp(fn: (app: Awaited<ReturnType<typeof createApp>>) => Promise<void>) {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-orders-validation-" });
  const shutdown = new AbortController();
  const app = await createApp({
    dataDir,
    env: {},
    brokerProbe: fakeProbe(),
    shutdown: shutdown.signal,
  });
  try {
    await fn(app);
  } finally {
    shutdown.abort();
    await Deno.remove(dataDir, { recursive: true });
  }
}

const post = (body: string) =>
  new Request("http://x/api/orders", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

Deno.test("orders API - a new order with problems is refused with 400 listing each one", async (t) => {
  await withApp(async (app) => {
    await t.step("every field problem, by path", async () => {
      const res = await app.fetch(post(JSON.stringify({
        client: { id: "", name: "Ana" },
        items: [{ productId: "p", quantity: 0, price: 10 }, {
          productId: "q",
          quantity: 1,
          price: -1,
        }],
        total: 10,
      })));
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        error: {
          status: 400,
          message: "invalid order",
          problems: [
            "client.id: must not be empty",
            "items.0.quantity: must be at least 1",
            "items.1.price: must be greater than 0",
          ],
        },
      });
    });
    await t.step("a total that is not the items' sum", async () => {
      const res = await app.fetch(post(JSON.stringify({
        client: { id: "1", name: "Ana" },
        items: [{ productId: "p", quantity: 2, price: 10.05 }, {
          productId: "q",
          quantity: 1,
          price: 5,
        }],
        total: 25,
      })));
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).error.problems, [
        "total: must equal the sum of the items (25.10)",
      ]);
    });
    await t.step("missing everything", async () => {
      const res = await app.fetch(post("{}"));
      assert.deepEqual((await res.json()).error.problems, [
        "client: expected an object {id, name}",
        "items: expected a list of items",
        "total: expected a number",
      ]);
    });
    await t.step("no item, too many decimals", async () => {
      const res = await app.fetch(post(JSON.stringify({
        client: { id: "1", name: "Ana" },
        items: [],
        total: 1.234,
      })));
      assert.deepEqual((await res.json()).error.problems, [
        "items: must list at least one item",
        "total: must have at most two decimal places",
      ]);
    });
    await t.step("a body that is not JSON", async () => {
      const res = await app.fetch(post("{nope"));
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.message, "the body is not valid JSON");
    });
  });
});

Deno.test("orders API - the list is paged, filtered by status, and refuses bad parameters", async () => {
  await withApp(async (app) => {
    for (const total of [1, 2, 3]) {
      const res = await app.fetch(post(JSON.stringify({
        client: { id: "1", name: "Ana" },
        items: [{ productId: "p", quantity: 1, price: total }],
        total,
      })));
      assert.equal(res.status, 201);
    }
    const page = await (await app.fetch(new Request("http://x/api/orders?limit=2&page=2"))).json();
    assert.equal(page.total, 3);
    assert.deepEqual([page.page, page.limit], [2, 2]);
    assert.deepEqual(page.orders.map((o: { total: number }) => o.total), [1], "newest first");
    const paid = await (await app.fetch(new Request("http://x/api/orders?status=PAGO"))).json();
    assert.deepEqual([paid.total, paid.orders], [0, []]);
    const bad = await app.fetch(new Request("http://x/api/orders?status=paid&limit=0"));
    assert.equal(bad.status, 400);
    assert.match(
      (await bad.json()).error.message,
      /status: expected one of .*; limit: must be at least 1/,
    );
  });
});

Deno.test("orders page - the form works without JavaScript and shows values as text", async (t) => {
  await withApp(async (app) => {
    const submit = (fields: Record<string, string>) =>
      app.fetch(
        new Request("http://x/orders", { method: "POST", body: new URLSearchParams(fields) }),
      );
    await t.step("problems are listed, typed values kept (escaped)", async () => {
      const res = await submit({
        clientId: "c-1",
        clientName: '"><script>alert(1)</script>',
        "items.0.productId": "p-1",
        "items.0.quantity": "0",
        "items.0.price": "abc",
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /<li[^>]*>items\.0\.quantity: must be at least 1<\/li>/);
      assert.match(html, /<li[^>]*>items\.0\.price: expected a number<\/li>/);
      assert.doesNotMatch(html, /total:/, "an empty total is the items' sum");
      assert.doesNotMatch(html, /<script>alert/);
      assert.match(html, /value="&quot;>&lt;script>alert\(1\)&lt;\/script>"/, "kept, escaped");
    });
    await t.step("a valid order redirects to the list, which shows it", async () => {
      const res = await submit({
        clientId: "c-1",
        clientName: "<i>Ana</i>",
        "items.0.productId": "p-1",
        "items.0.quantity": "2",
        "items.0.price": "10,25",
      });
      assert.equal(res.status, 303);
      const location = res.headers.get("location")!;
      const id = new URL(location, "http://x").searchParams.get("created")!;
      const page = await (await app.fetch(new Request(`http://x${location}`))).text();
      assert.match(page, new RegExp(`data-order="${id}"`));
      assert.match(page, /&lt;i>Ana&lt;\/i>/, "text, escaped");
      assert.match(page, />20\.50</);
      assert.doesNotMatch(page, /<i>Ana/);
    });
  });
});
