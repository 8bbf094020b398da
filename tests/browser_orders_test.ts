/**
 * The `/orders` page in headless Chromium against the real broker: an
 * order created with the page's form (a client and a product picked from
 * the catalogue) shows in the list, and when the payments service
 * (started only then) pays it, its status turns to PAGO live, without a
 * reload. The client's name, registered as markup, stays text.
 */
import assert from "node:assert/strict";
import { ordersConsumer } from "../consumers/orders.ts";
import { paymentsConsumer } from "../consumers/payments.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { startWorldServer } from "./prefixed_world.ts";
import { launchChromium, type Page } from "./cdp.ts";
import { ordersWorld, startRunner } from "./orders_helpers.ts";

const rowOf = (id: string) => `document.querySelector('tr[data-order=${JSON.stringify(id)}]')`;
const statusOf = (id: string) => `${rowOf(id)}?.querySelector('[data-field=status]').textContent`;

/** Fills the page's form and submits it like a person would. */
function submitOrder(fields: Record<string, string>): string {
  return `(() => {
    const form = document.querySelector('form.order-form');
    for (const [name, value] of Object.entries(${JSON.stringify(fields)})) {
      form.elements.namedItem(name).value = value;
    }
    form.requestSubmit();
  })()`;
}

/** Waits for `expression` across a navigation (evaluating may fail while the page changes). */
async function waitAcrossNavigation(page: Page, expression: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await page.evaluate<boolean>(`Boolean(${expression})`).catch(() => false);
    if (done) return;
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("browser orders - an order created on /orders shows, and turns PAGO live when paid", async () => {
  const world = await ordersWorld();
  const server = await startWorldServer(world, { heartbeatMs: 200 });
  const orders = await startRunner(world, ordersConsumer.create(world.env));
  let payments: ConsumerRunner | undefined;
  const browser = await launchChromium();
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
    const page = await browser.open(`${server.url}/orders`);
    assert.equal(await page.evaluate("document.querySelector('h1').textContent"), "Orders");
    await page.evaluate(submitOrder({
      clientId,
      "items.0.productId": productId,
      "items.0.quantity": "2",
    }));
    await waitAcrossNavigation(
      page,
      "location.search.includes('created=') && document.readyState === 'complete'",
      5_000,
    );
    await page.waitFor("document.querySelector('.live-open')", 5_000);
    const id = await page.evaluate<string>("new URLSearchParams(location.search).get('created')");
    assert.equal(await page.evaluate(statusOf(id)), "PENDENTE");
    assert.deepEqual(
      await page.evaluate<string[]>(`[...${rowOf(id)}.children].map((c) => c.textContent)`),
      [
        id,
        `<b>Ana</b> (${clientId})`,
        "1",
        "51.00",
        "PENDENTE",
        await page.evaluate(
          `${rowOf(id)}.querySelector('time').textContent`,
        ),
      ],
    );
    assert.equal(await page.evaluate("document.querySelectorAll('main b').length"), 0, "text");
    const navigations = page.navigations.length;

    payments = await startRunner(world, paymentsConsumer.create(world.env));
    await page.waitFor(`${statusOf(id)} === 'PAGO'`, 20_000);
    assert.equal(page.navigations.length, navigations, "no reload");
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await browser.close();
    await payments?.stop();
    await orders.stop();
    await server.close();
    await world.close();
  }
});
