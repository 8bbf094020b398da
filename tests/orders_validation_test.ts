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

/** Registers a client and a product through the API; returns their ids. */
async function catalogue(app: Awaited<ReturnType<typeof createApp>>, name: string) {
  const json = async (path: string, body: unknown) => {
    const res = await app.fetch(
      new Request(`http://x${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return await res.json();
  };
  const client = await json("/v1/clients", {
    name,
    email: "ana@test.com",
    phone: "11999999999",
    cpf: "12345678901",
  });
  const product = await json("/v1/products", {
    name: "<b>Caneca</b>",
    description: "",
    price: 10.25,
    quantity: 5,
  });
  return { clientId: client.id as string, productId: product.id as string };
}

Deno.test("orders page - the forms work without JavaScript and show values as text", async (t) => {
  await withApp(async (app) => {
    const submit = (path: string, fields: Record<string, string>) =>
      app.fetch(
        new Request(`http://x${path}`, { method: "POST", body: new URLSearchParams(fields) }),
      );
    await t.step("without clients and products, the page says how to register them", async () => {
      const html = await (await app.fetch(new Request("http://x/orders"))).text();
      assert.match(html, /register at least one client and one product/);
      assert.doesNotMatch(html, /<form[^>]*class="order-form"/);
    });
    await t.step("a refused client lists its problems, typed values kept (escaped)", async () => {
      const res = await submit("/orders/clients", {
        name: '"><script>alert(1)</script>',
        email: "nope",
        phone: "11999999999",
        cpf: "123",
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /<li[^>]*>email: expected an e-mail address<\/li>/);
      assert.match(html, /<li[^>]*>cpf: expected 11 digits, e\.g\. 12345678901<\/li>/);
      assert.doesNotMatch(html, /<script>alert/);
      assert.match(html, /value="&quot;>&lt;script>alert\(1\)&lt;\/script>"/, "kept, escaped");
    });
    const { clientId, productId } = await catalogue(app, "<i>Ana</i>");
    await t.step("a client registered by the form is preselected", async () => {
      const res = await submit("/orders/clients", {
        name: "Bia",
        email: "bia@test.com",
        phone: "(11) 98888-7777",
        cpf: "111.222.333-44",
      });
      assert.equal(res.status, 303);
      const location = res.headers.get("location")!;
      const html = await (await app.fetch(new Request(`http://x${location}`))).text();
      assert.match(html, /Client <code>Bia<\/code> registered/);
      assert.match(html, /<option\s+value="[^"]+"\s+selected>Bia \(bia@test\.com\)<\/option>/);
    });
    await t.step("a refused order lists its problems, choices kept", async () => {
      const res = await submit("/orders", {
        clientId: "",
        "items.0.productId": productId,
        "items.0.quantity": "0",
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /<li[^>]*>client: pick a client<\/li>/);
      assert.match(
        html,
        new RegExp(
          `<option\\s+value="${productId}"\\s+selected>&lt;b>Caneca&lt;/b> — 10\\.25</option>`,
        ),
      );
      const zero = await submit("/orders", {
        clientId,
        "items.0.productId": productId,
        "items.0.quantity": "0",
      });
      assert.equal(zero.status, 400);
      assert.match(await zero.text(), /<li[^>]*>items\.0\.quantity: must be at least 1<\/li>/);
    });
    await t.step("a product that does not exist is named", async () => {
      const res = await submit("/orders", {
        clientId,
        "items.0.productId": "nope",
        "items.0.quantity": "1",
      });
      assert.equal(res.status, 400);
      assert.match(
        await res.text(),
        /<li[^>]*>items\.0\.productId: no product &quot;nope&quot;<\/li>/,
      );
    });
    await t.step("a valid order redirects to the list, which shows it", async () => {
      const res = await submit("/orders", {
        clientId,
        "items.0.productId": productId,
        "items.0.quantity": "2",
      });
      assert.equal(res.status, 303);
      const location = res.headers.get("location")!;
      const id = new URL(location, "http://x").searchParams.get("created")!;
      const page = await (await app.fetch(new Request(`http://x${location}`))).text();
      assert.match(page, new RegExp(`data-order="${id}"`));
      assert.match(page, /&lt;i>Ana&lt;\/i>/, "text, escaped");
      assert.match(page, />R\$ 20\.50</);
      assert.doesNotMatch(page, /<i>Ana/);
      const order = await (await app.fetch(new Request(`http://x/v1/orders/${id}`))).json();
      assert.deepEqual(order.items, [{
        productId,
        quantity: 2,
        price: 10.25,
        name: "<b>Caneca</b>",
      }]);
    });
  });
});
