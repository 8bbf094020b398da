/**
 * The `/orders` page in headless Chromium against the real broker: an
 * order created with the page's form (a client and a product picked from
 * the catalogue) shows in the list, and when the payments service
 * (started only then) pays it, its status turns to PAGO live, without a
 * reload. The client's name, registered as markup, stays text.
 */
import assert from "node:assert/strict";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { startWorldServer } from "./prefixed_world.ts";
import { launchBrowser, markDocument, pageErrors } from "./browser.ts";
import { ordersWorld, startRunner } from "./orders_helpers.ts";

const rowOf = (id: string) => `tr[data-order=${JSON.stringify(id)}]`;

Deno.test("browser orders - an order created on /orders shows, and turns PAGO live when paid", async () => {
  const world = await ordersWorld();
  const server = await startWorldServer(world, { heartbeatMs: 200 });
  const orders = await startRunner(world, ordersConsumer.create(world.env));
  let payments: ConsumerRunner | undefined;
  const { browser, close } = await launchBrowser();
  try {
    const register = async (path: string, body: unknown): Promise<string> => {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201);
      return (await res.json()).id;
    };
    const clientId = await register("/v1/clients", {
      name: "<b>Ana</b>",
      email: "ana@test.com",
      phone: "11999999999",
      cpf: "12345678901",
    });
    const productId = await register("/v1/products", {
      name: "Caneca",
      description: "",
      price: 25.5,
      quantity: 10,
    });
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.url}/orders`);
    assert.equal(await page.$eval("h1", (h1) => h1.textContent), "Orders");

    // The plain form: pick a client and a product, type a quantity, submit.
    await page.select("form.order-form select[name=clientId]", clientId);
    await page.select('form.order-form select[name="items.0.productId"]', productId);
    await page.locator('form.order-form input[name="items.0.quantity"]').fill("2");
    await Promise.all([
      page.waitForNavigation({ timeout: 5_000 }),
      page.click("form.order-form button[type=submit]"),
    ]);
    const id = new URL(page.url()).searchParams.get("created");
    assert.ok(id, `sent back to the list with the new order: ${page.url()}`);
    await page.waitForSelector(".live-open", { timeout: 5_000 });
    const sameDocument = await markDocument(page);
    const { cells, time } = await page.$eval(rowOf(id), (row) => ({
      cells: [...row.children].map((cell) => cell.textContent),
      time: row.querySelector("time")?.textContent,
    }));
    assert.deepEqual(cells, [id, `<b>Ana</b> (${clientId})`, "1", "R$ 51.00", "PENDENTE", time]);
    assert.equal(await page.$$eval("main b", (bs) => bs.length), 0, "text");

    payments = await startRunner(world, paymentsConsumer.create(world.env));
    await page.waitForFunction(
      (selector) =>
        document.querySelector(`${selector} [data-field=status]`)?.textContent === "PAGO",
      { timeout: 20_000 },
      rowOf(id),
    );
    assert.equal(await sameDocument(), true, "no reload");
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await close();
    await payments?.stop();
    await orders.stop();
    await server.close();
    await world.close();
  }
});
