/**
 * The orders consumer (Orders Service of seed 001): owns the orders
 * database. It follows `orders.paid` and `orders.failed` (the payments
 * service's decisions, or anyone else's with the right to write them) and
 * moves each order's status, and its runner relays the outbox that the
 * `/api/orders` routes write (`orders.created`, `orders.paid`,
 * `orders.failed`).
 *
 * Its own events (CloudEvents source `freshet/orders`) are skipped: the
 * change they announce was made when they were emitted.
 *
 * Rule for other events: only an allowed move is applied (services/orders/status.ts:
 * the moves form an acyclic graph, so nothing moves an order backwards); the
 * status the order already has is a duplicate; anything else is late or out
 * of order and is ignored, kept in the order's history. `orders.paid` and
 * `orders.failed` are two topics, so Kafka orders nothing between them: this
 * rule, not arrival order, decides. An event about an unknown order, or
 * with another total, is dead-lettered.
 */
import { type ConsumerModule, type MessageContext, topic } from "../../shared/consumer/define.ts";
import { runConsumerMain } from "../../shared/consumer/main.ts";
import { createLogger } from "../../shared/core/log.ts";
import {
  orderFailedSchema,
  orderPaidSchema,
  ORDERS_FAILED,
  ORDERS_PAID,
  type OrderStatusEvent,
} from "./events.ts";
import { ORDERS_BUS_TOPIC } from "./order.ts";
import { applyStatusEvent, ORDERS_MIGRATIONS, ORDERS_SERVICE, ORDERS_SOURCE } from "./orders_db.ts";
import { groupName, topicName } from "../../shared/kafka/names.ts";

/** The orders service's consumer group (suffixed under a topic prefix: shared/kafka/names.ts). */
export const ORDERS_GROUP = "orders-service";

const log = createLogger(`consumer:${ORDERS_SERVICE}`);

function handleStatusEvent(ctx: MessageContext<OrderStatusEvent>): void {
  // The service's own event coming back: its change was made when it was emitted.
  if (ctx.headers.ce_source === ORDERS_SOURCE) return;
  const source = `${ctx.topic}:${ctx.partition}:${ctx.offset}`;
  const { outcome, order } = applyStatusEvent(ctx.db, ctx.value, source);
  if (outcome === "applied") {
    ctx.notify(ORDERS_BUS_TOPIC, "updated", order);
  } else if (outcome === "ignored") {
    log.info("status event ignored: not an allowed move", {
      order: order.id,
      status: order.status,
      event: ctx.value.status,
      source,
    });
  }
}

/** The orders consumer module. */
export const ordersConsumer: ConsumerModule = {
  env: [],
  create(env) {
    return {
      name: ORDERS_SERVICE,
      principal: "orders",
      groupId: groupName(env, ORDERS_GROUP),
      migrations: ORDERS_MIGRATIONS,
      // The database is the source of truth, not a projection of the topics:
      // a new one starts where the group left off, not at the topics' history.
      whenNoStoredOffset: "committed",
      topics: {
        [topicName(env, ORDERS_PAID)]: topic({
          schema: orderPaidSchema,
          handle: handleStatusEvent,
        }),
        [topicName(env, ORDERS_FAILED)]: topic({
          schema: orderFailedSchema,
          handle: handleStatusEvent,
        }),
      },
    };
  },
};

if (import.meta.main) await runConsumerMain(ordersConsumer);
