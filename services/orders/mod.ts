/**
 * The orders service (seed 001's Orders Service): clients, products and
 * orders over HTTP (`/api/orders`, and seed 001's own `/v1/`), each change
 * stored with its event in one transaction; its consumer follows the
 * payment decisions. See docs/orders_and_payments.md.
 */
import { groupName } from "../../shared/kafka/names.ts";
import { defineService } from "../../shared/service/define_service.ts";
import { ORDERS_GROUP, ordersConsumer } from "./consumer.ts";
import { ORDERS_SERVICE } from "./orders_db.ts";

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
  groups: [{
    consumerOf: (groupId, topicPrefix) =>
      groupId === groupName({ FRESHET_TOPIC_PREFIX: topicPrefix }, ORDERS_GROUP)
        ? "orders"
        : undefined,
    replay: () =>
      "No replay: the orders database is the system of record, not a projection of the " +
      "topics, and a new database never replays history.",
  }],
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
