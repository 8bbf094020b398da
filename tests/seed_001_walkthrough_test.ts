/**
 * Seed 001's "Teste Passo-a-Passo", steps 4 and 7, verbatim: the same
 * requests (bodies byte for byte, only host and port changed) against the
 * real app on a port, with the orders consumer relaying its outbox and,
 * later, payments deciding — all through the real broker, each service as
 * its own principal. Then what landed on Kafka: the client and product on
 * their compacted topics, the client's name in `orders.created` and in the
 * paid events of both producers.
 */
import assert from "node:assert/strict";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import { CLIENTS, PRODUCTS } from "../services/orders/catalog_events.ts";
import { ORDERS_CREATED, ORDERS_PAID } from "../services/orders/events.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { adminKafka, produce, waitFor } from "./helpers.ts";
import { jsonOf, ordersWorld, readTopic, startRunner } from "./orders_helpers.ts";
import { startWorldServer } from "./prefixed_world.ts";

/** `curl -X <method> <url> -H "Content-Type: application/json" -d '<body>'`. */
async function curl(method: string, url: string, body?: string) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}

/** `… | jq -r .id`: the answer's top-level id, as text. */
function jqId(answer: { json: { id?: unknown }; text: string }): string {
  assert.equal(typeof answer.json.id, "string", answer.text);
  assert.notEqual(answer.json.id, "");
  return answer.json.id as string;
}

const CLIENT_BODY = `{
    "name": "João",
    "email": "joao@test.com",
    "phone": "11999999999",
    "cpf": "12345678901"
  }`;

const PRODUCT_BODY = `{
    "name": "Produto",
    "description": "Desc",
    "price": 100,
    "quantity": 10
  }`;

const orderBody = (clientId: string, productId: string) =>
  `{
    "clientId": "CLIENT_ID",
    "items": [{
      "productId": "PRODUCT_ID",
      "quantity": 1,
      "price": 100
    }],
    "total": 100,
    "payments": [{
      "typePaymentId": 1,
      "amount": 100
    }]
  }`.replace("CLIENT_ID", clientId).replace("PRODUCT_ID", productId);

Deno.test("seed 001 walkthrough - steps 4 and 7 run verbatim against Freshet", async (t) => {
  const world = await ordersWorld();
  const env = world.env;
  const server = await startWorldServer(world);
  const base = server.url;
  const orders = await startRunner(world, ordersConsumer.create(env));
  let payments: ConsumerRunner | undefined;
  try {
    let clientId = "", productId = "", orderId = "";
    await t.step(
      "step 4: a client, a product, then the order; jq -r .id works on each",
      async () => {
        const client = await curl("POST", `${base}/v1/clients`, CLIENT_BODY);
        assert.equal(client.status, 201, client.text);
        clientId = jqId(client);
        assert.deepEqual({ ...client.json, id: "-", createdAt: "-" }, {
          id: "-",
          name: "João",
          email: "joao@test.com",
          phone: "11999999999",
          cpf: "12345678901",
          createdAt: "-",
        });
        const product = await curl("POST", `${base}/v1/products`, PRODUCT_BODY);
        assert.equal(product.status, 201, product.text);
        productId = jqId(product);
        assert.equal(product.json.price, 100);

        const order = await curl("POST", `${base}/v1/orders`, orderBody(clientId, productId));
        assert.equal(order.status, 201, order.text);
        orderId = jqId(order);
        assert.equal(order.json.status, "PENDENTE");
        assert.equal(order.json.clientId, clientId);
        assert.equal(order.json.clientName, "João");
        assert.equal(order.json.total, 100);
        assert.deepEqual(order.json.items, [{
          productId,
          quantity: 1,
          price: 100,
          name: "Produto",
        }]);
        assert.deepEqual(order.json.payments, [{ typePaymentId: 1, amount: 100 }]);
      },
    );

    await t.step("step 7: PATCH the order to PAGO, then GET it", async () => {
      const patched = await curl(
        "PATCH",
        `${base}/v1/orders/${orderId}`,
        `{"status": "PAGO"}`,
      );
      assert.equal(patched.status, 200, patched.text);
      assert.equal(jqId(patched), orderId);
      assert.equal(patched.json.status, "PAGO");
      const got = await curl("GET", `${base}/v1/orders/${orderId}`);
      assert.equal(got.json.status, "PAGO");
      const listed = await curl("GET", `${base}/api/orders?status=PAGO`);
      assert.deepEqual(listed.json.orders.map((o: { id: string }) => o.id), [orderId]);
    });

    await t.step(
      "step 4 run again: the same client is answered, not registered twice",
      async () => {
        const again = await curl("POST", `${base}/v1/clients`, CLIENT_BODY);
        assert.equal(again.status, 200, again.text);
        assert.equal(jqId(again), clientId);
        const other = await curl(
          "POST",
          `${base}/v1/clients`,
          CLIENT_BODY.replace('"João"', '"Maria"'),
        );
        assert.equal(other.status, 409, other.text);
        assert.match(other.json.error.message, /CPF 12345678901 is already registered/);
      },
    );

    await t.step("a wrong order is refused naming what is wrong", async () => {
      const seedOrder = JSON.parse(orderBody(clientId, productId));
      const post = (body: unknown) => curl("POST", `${base}/v1/orders`, JSON.stringify(body));
      const unknownClient = await post({ ...seedOrder, clientId: "nobody" });
      assert.equal(unknownClient.status, 422, unknownClient.text);
      assert.deepEqual(unknownClient.json.error.problems, ['clientId: no client "nobody"']);
      const unknownProduct = await post({
        ...seedOrder,
        items: [{ productId: "nothing", quantity: 1, price: 100 }],
      });
      assert.equal(unknownProduct.status, 422);
      assert.deepEqual(unknownProduct.json.error.problems, [
        'items.0.productId: no product "nothing"',
      ]);
      const otherPrice = await post({
        ...seedOrder,
        items: [{ productId, quantity: 2, price: 45 }],
        total: 90,
        payments: [{ typePaymentId: 1, amount: 90 }],
      });
      assert.equal(otherPrice.status, 422);
      assert.deepEqual(otherPrice.json.error.problems, [
        `items.0.price: product "${productId}" costs 100.00, not 45.00`,
      ]);
      const short = await post({ ...seedOrder, payments: [{ typePaymentId: 1, amount: 90 }] });
      assert.equal(short.status, 400);
      assert.deepEqual(short.json.error.problems, [
        "payments: must add up to the total (100.00), not 90.00",
      ]);
      const empty = await post({});
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.json.error.problems, [
        "clientId: expected a string or an integer",
        "items: expected a list of items",
        "total: expected a number",
      ]);
      const missing = await curl("GET", `${base}/v1/orders/nope`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, { error: { status: 404, message: "no order nope" } });
    });

    await t.step("the client and product are on their topics, keyed by id", async () => {
      await waitFor(
        "the catalogue events to be relayed",
        async () =>
          (await readTopic(world, CLIENTS)).length === 1 &&
          (await readTopic(world, PRODUCTS)).length === 1,
      );
      const [client] = await readTopic(world, CLIENTS);
      assert.equal(client.key, clientId);
      assert.deepEqual(Object.keys(jsonOf(client)), [
        "name",
        "email",
        "phone",
        "cpf",
        "id",
        "createdAt",
      ]);
      assert.equal(jsonOf(client).name, "João");
      assert.equal(client.headers.ce_source, "freshet/orders");
      const [product] = await readTopic(world, PRODUCTS);
      assert.equal(product.key, productId);
      assert.deepEqual({ ...jsonOf(product), createdAt: "-" }, {
        name: "Produto",
        description: "Desc",
        price: 100,
        quantity: 10,
        id: productId,
        createdAt: "-",
      });
    });

    await t.step("orders.created and the PATCH's orders.paid carry the client's name", async () => {
      await waitFor(
        "the order events to be relayed",
        async () => (await readTopic(world, ORDERS_PAID)).length === 1,
      );
      const [created] = (await readTopic(world, ORDERS_CREATED))
        .filter((m) => m.key === orderId);
      assert.equal(jsonOf(created).clientName, "João");
      assert.deepEqual(jsonOf(created).items, [{
        productId,
        quantity: 1,
        price: 100,
        name: "Produto",
      }]);
      const [paid] = await readTopic(world, ORDERS_PAID);
      assert.equal(paid.headers.ce_source, "freshet/orders");
      assert.equal(jsonOf(paid).clientName, "João");
    });

    await t.step("payments copies the client's name; without one it sends null", async () => {
      payments = await startRunner(world, paymentsConsumer.create(env));
      const order = await curl("POST", `${base}/v1/orders`, orderBody(clientId, productId));
      const foreign = crypto.randomUUID();
      await produce(world.kafka, world.topic(ORDERS_CREATED), [{
        key: foreign,
        value: JSON.stringify({
          orderId: foreign,
          clientId: "7",
          total: 30,
          status: "PENDENTE",
          items: [{ productId: "1", quantity: 1, price: 30 }],
          itemsCount: 1,
          createdAt: new Date().toISOString(),
        }),
      }]);
      const decided = async () =>
        new Map(
          (await readTopic(world, ORDERS_PAID))
            .filter((m) => m.headers.ce_source === "freshet/payments")
            .map((m) => [m.key, jsonOf(m)]),
        );
      await waitFor("payments to decide both orders", async () => {
        const decisions = await decided();
        return decisions.has(order.json.id) && decisions.has(foreign);
      });
      const byOrder = await decided();
      assert.equal(byOrder.get(order.json.id)?.clientName, "João");
      assert.equal(byOrder.get(foreign)?.clientName, null, "another producer's orders.created");
    });

    await t.step("the shared broker's clients and products topics are compacted", async () => {
      const configs = await withAdmin(adminKafka(), (admin) =>
        admin.describeConfigs({
          includeSynonyms: false,
          resources: [CLIENTS, PRODUCTS].map((name) => ({ type: 2, name })),
        }));
      for (const resource of configs.resources) {
        const policy = resource.configEntries.find((e) => e.configName === "cleanup.policy");
        assert.equal(policy?.configValue, "compact", resource.resourceName);
      }
    });
  } finally {
    await payments?.stop();
    await orders.stop();
    await server.close();
    await world.close();
  }
});
