/**
 * The payments consumer (Payments Service of seed 001): reads
 * `orders.created` in group `payments-service-group` (under a topic prefix
 * `p.`: `payments-service-group-p`, see shared/kafka/names.ts), charges
 * the order through the payment gateway and answers with `orders.paid`
 * (approved) or `orders.failed` with status FALHA (declined).
 *
 * - A processor (shared/consumer/define.ts): instances share the group and
 *   split the partitions; each decision event and the consumed offset
 *   commit in one Kafka transaction, so an order is decided exactly once
 *   across instances, kills and rebalances. Readers use read_committed.
 *   Each instance keeps its own record of the payments it made
 *   (`PAYMENTS_INSTANCE=b` names it `payments-service-b`, data
 *   `data/payments-service-b/`); see docs/scaling.md.
 * - An `orders.created` seen again at the offset that decided it is the
 *   redelivery of a batch whose transaction did not commit: the recorded
 *   decision is emitted again, unchanged (same event id). Seen at another
 *   offset, it is a duplicate order: counted, nothing emitted.
 * - Charges carry the orderId as idempotency key: asked again, the gateway
 *   answers the same charge, whichever instance asks.
 * - Deterministic rule: the simulated gateway declines totals above
 *   `PAYMENTS_DECLINE_ABOVE` (default 10000) and approves the rest.
 * - The gateway's "unavailable" is retriable: the runner pauses the
 *   partition and retries the order with capped backoff; an outage
 *   dead-letters nothing. `PAYMENTS_GATEWAY_FAILURES=N` makes each charge
 *   fail N times first; `PAYMENTS_GATEWAY_DOWN_MS=T` makes the gateway
 *   unavailable for T ms after start.
 * - `clientName` comes from the order (Freshet's orders service puts the
 *   client's name in `orders.created`); an order without it gives null.
 */
import { z } from "zod";
import { type ConsumerModule, type MessageContext, topic } from "../../shared/consumer/define.ts";
import { runConsumerMain } from "../../shared/consumer/main.ts";
import { parseEnv } from "../../shared/core/config.ts";
import { createLogger } from "../../shared/core/log.ts";
import {
  type OrderCreated,
  orderCreatedSchema,
  ORDERS_CREATED,
  ORDERS_FAILED,
  ORDERS_PAID,
  type OrderStatusEvent,
} from "../orders/mod.ts";
import { fromCents, MAX_AMOUNT, toCents } from "../orders/mod.ts";
import { simulatedGateway } from "./gateway.ts";
import {
  countDuplicate,
  getPayment,
  insertPayment,
  type Payment,
  PAYMENTS_MIGRATIONS,
} from "./payments_db.ts";
import { groupName, topicName } from "../../shared/kafka/names.ts";

/** The consumer group of seed 001. */
export const PAYMENTS_GROUP = "payments-service-group";

/** CloudEvents source of the payment decisions. */
export const PAYMENTS_SOURCE = "freshet/payments";

/** `PAYMENTS_INSTANCE`: names the instance's data folder, so letters, digits and dashes only. */
export const paymentsInstanceSchema = z.string().regex(
  /^[a-z0-9][a-z0-9-]{0,40}$/,
  "expected lowercase letters, digits and dashes",
);

const envSchema = z.object({
  PAYMENTS_DECLINE_ABOVE: z.coerce.number({ error: "expected an amount, e.g. 10000" })
    .positive("expected an amount greater than 0").max(MAX_AMOUNT).default(10_000),
  PAYMENTS_GATEWAY_FAILURES: z.coerce.number({ error: "expected a whole number" })
    .int("expected a whole number").nonnegative("expected a whole number").default(0),
  PAYMENTS_GATEWAY_DOWN_MS: z.coerce.number({ error: "expected milliseconds" })
    .int("expected milliseconds").nonnegative("expected milliseconds").default(0),
  PAYMENTS_INSTANCE: paymentsInstanceSchema.optional(),
}).catchall(z.string().optional());

/** The consumer name (and data folder) of a payments instance. */
export function paymentsConsumerName(instance?: string): string {
  return instance ? `payments-service-${instance}` : "payments-service";
}

/** Whether `payment` was decided by this very message (a redelivery, not a duplicate order). */
function sameMessage(
  payment: Payment,
  ctx: { topic: string; partition: number; offset: number },
): boolean {
  return payment.topic === ctx.topic && payment.partition === ctx.partition &&
    payment.offset === ctx.offset;
}

/** The payments consumer module. */
export const paymentsConsumer: ConsumerModule = {
  env: [
    "PAYMENTS_DECLINE_ABOVE",
    "PAYMENTS_GATEWAY_FAILURES",
    "PAYMENTS_GATEWAY_DOWN_MS",
    "PAYMENTS_INSTANCE",
  ],
  create(env) {
    const config = parseEnv(envSchema, env);
    const name = paymentsConsumerName(config.PAYMENTS_INSTANCE);
    const log = createLogger(`consumer:${name}`);
    const gateway = simulatedGateway({
      declineAboveCents: toCents(config.PAYMENTS_DECLINE_ABOVE),
      unavailableAttempts: config.PAYMENTS_GATEWAY_FAILURES,
      downUntil: config.PAYMENTS_GATEWAY_DOWN_MS > 0
        ? Date.now() + config.PAYMENTS_GATEWAY_DOWN_MS
        : undefined,
    });
    /** Charges the order and records the decision. */
    const decide = (ctx: MessageContext<OrderCreated>): Payment => {
      const order = ctx.value;
      const amountCents = toCents(order.total);
      const charge = gateway.charge({ idempotencyKey: order.orderId, amountCents });
      const payment: Payment = {
        orderId: order.orderId,
        clientId: order.clientId,
        clientName: typeof order.clientName === "string" ? order.clientName : null,
        amountCents,
        outcome: charge.approved ? "approved" : "declined",
        reason: charge.reason ?? null,
        chargeId: charge.chargeId,
        decidedAt: new Date().toISOString(),
        topic: ctx.topic,
        partition: ctx.partition,
        offset: ctx.offset,
        duplicates: 0,
      };
      insertPayment(ctx.db, payment);
      log.info(charge.approved ? "payment approved" : "payment declined", {
        order: order.orderId,
        total: fromCents(amountCents),
        partition: ctx.partition,
        reason: charge.reason,
      });
      return payment;
    };
    return {
      name,
      principal: "payments",
      groupId: groupName(env, PAYMENTS_GROUP),
      migrations: PAYMENTS_MIGRATIONS,
      kind: "processor",
      topics: {
        [topicName(env, ORDERS_CREATED)]: topic({
          schema: orderCreatedSchema,
          handle(ctx) {
            const order = ctx.value;
            const known = getPayment(ctx.db, order.orderId);
            if (known && !sameMessage(known, ctx)) {
              countDuplicate(ctx.db, order.orderId);
              log.info("order already decided; not paying twice", {
                order: order.orderId,
                offset: ctx.offset,
              });
              return;
            }
            const payment = known ?? decide(ctx);
            const approved = payment.outcome === "approved";
            const event: OrderStatusEvent = {
              orderId: payment.orderId,
              clientId: payment.clientId,
              clientName: payment.clientName,
              status: approved ? "PAGO" : "FALHA",
              total: fromCents(payment.amountCents),
              updatedAt: payment.decidedAt,
            };
            const base = approved ? ORDERS_PAID : ORDERS_FAILED;
            ctx.emit({
              topic: topicName(env, base),
              key: payment.orderId,
              value: event,
              type: base,
              source: PAYMENTS_SOURCE,
              // One decision per order: the same id wherever it is made, so readers can drop a repeat.
              id: `payment-${payment.orderId}`,
            });
            if (known) {
              log.info("decision emitted again (its transaction had not committed)", {
                order: order.orderId,
              });
            }
          },
        }),
      },
    };
  },
};

if (import.meta.main) await runConsumerMain(paymentsConsumer);
