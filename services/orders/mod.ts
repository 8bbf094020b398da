/**
 * The orders service (seed 001's Orders Service): clients, products and
 * orders over HTTP (`/api/orders`, and seed 001's own `/v1/`), each change
 * stored with its event in one transaction; its consumer follows the
 * payment decisions. See docs/orders_and_payments.md.
 */
import { namedGroup } from "../../shared/web/group_owner.ts";
import { defineService } from "../../shared/service/define_service.ts";
import { ORDERS_GROUP, ordersConsumer } from "./consumer.ts";
import { ORDERS_SERVICE } from "./orders_db.ts";
import { clientEventSchema, productEventSchema } from "./catalog_events.ts";
import { orderCreatedSchema, orderFailedSchema, orderPaidSchema } from "./events.ts";

/** The n-th example of a status event (its contract's example: the order is `contract-<n>`). */
const statusExample = (status: string) => (n: number) => ({
  key: `contract-${n}`,
  value: {
    orderId: `contract-${n}`,
    clientId: "client-1",
    clientName: null,
    status,
    total: 30,
    updatedAt: "2026-01-01T00:00:00Z",
  },
});

/** The orders service. */
export const ordersService = defineService({
  name: "orders",
  description: "Orders, clients and products (seed 001), each change sent through the outbox.",
  principals: ["orders"],
  consumers: () => [{
    name: ORDERS_SERVICE,
    task: "orders",
    principal: "orders",
    url: new URL("./consumer.ts", import.meta.url),
    module: ordersConsumer,
  }],
  topics: [
    {
      topic: "orders.created",
      key: "orderId",
      value: orderCreatedSchema,
      notes: "Seed 001. Emitted through the orders service's outbox when an order is created; " +
        "the orders service adds `clientName` and the items' product `name` (optional: " +
        "consumers take an `orders.created` without them, clientName then null).",
      deadLetters: true,
      example: (n) => ({
        key: `contract-${n}`,
        value: {
          orderId: `contract-${n}`,
          clientId: "client-1",
          total: 30,
          status: "PENDENTE",
          items: [{ productId: "p-1", quantity: 2, price: 15 }],
          itemsCount: 1,
          createdAt: "2026-01-01T00:00:00Z",
        },
      }),
    },
    {
      topic: "orders.paid",
      key: "orderId",
      value: orderPaidSchema,
      notes: "From payments (approved) or PATCH /api/orders/:id to PAGO.",
      deadLetters: true,
      example: statusExample("PAGO"),
    },
    {
      topic: "orders.failed",
      key: "orderId",
      value: orderFailedSchema,
      notes: "From payments (declined, FALHA) or PATCH to CANCELADO / FALHA.",
      deadLetters: true,
      example: statusExample("FALHA"),
    },
    {
      topic: "clients",
      key: "client id",
      value: clientEventSchema,
      notes: "Seed 001's clients (POST /v1/clients), owned by the orders service, through its " +
        "outbox. Compacted: the latest value per key is the client. Carries personal data " +
        "(e-mail, phone, CPF): only principals granted READ in kafka-acls.txt see it.",
    },
    {
      topic: "products",
      key: "product id",
      value: productEventSchema,
      notes: "Seed 001's products (POST /v1/products), owned by the orders service, through its " +
        "outbox. Compacted: the latest value per key is the product.",
    },
  ],
  groups: [namedGroup({
    group: ORDERS_GROUP,
    consumer: "orders",
    replay: "No replay: the orders database is the system of record, not a projection of the " +
      "topics, and a new database never replays history.",
  })],
  web: {
    // Seed 001's API: its errors are JSON whatever the client accepts.
    jsonPaths: ["/v1/"],
    aliases: [
      { path: "/v1/orders", canonical: "/api/orders" },
      { path: "/v1/orders/:id", canonical: "/api/orders/:id" },
    ],
    nav: [{
      href: "/orders",
      label: "Orders",
      description: "Orders and payments (seed 001): create an order, watch payments decide it.",
    }],
  },
});

// The orders service's public surface for the services that consume its events (payments).
export * from "./events.ts";
export { formatCents, fromCents, MAX_AMOUNT, toCents } from "./money.ts";
