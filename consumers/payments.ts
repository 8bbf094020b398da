/**
 * The payments consumer (Payments Service of seed 001): reads
 * `orders.created` in group `payments-service-group` (under a topic prefix
 * `p.`: `payments-service-group-p`, see shared/kafka/names.ts), charges
 * the order through the payment gateway and answers with `orders.paid` (approved) or
 * `orders.failed` with status FALHA (declined), through its outbox in the
 * same transaction as the payment row and the offset.
 *
 * - Idempotent: one payment per orderId. An `orders.created` seen again
 *   (redelivered, or produced twice at another offset) is counted as a
 *   duplicate and emits nothing.
 * - Deterministic rule: the simulated gateway declines totals above
 *   `PAYMENTS_DECLINE_ABOVE` (default 10000) and approves the rest.
 * - Transient failures: the gateway's "unavailable" is retriable, so the
 *   runner retries the batch with capped exponential backoff (200 ms
 *   doubling to 10 s, 5 retries) and then dead-letters the order to
 *   `orders.created.dlq`; the order stays PENDENTE. `PAYMENTS_GATEWAY_FAILURES=N`
 *   makes the gateway unavailable for the first N attempts of each charge.
 * - The paid/failed events carry `clientName: null`: `orders.created`
 *   (the seed's contract) does not carry the name, and payments knows no
 *   other source.
 * - Several instances of the group on one machine each need their own
 *   database: `PAYMENTS_INSTANCE=b` names this one `payments-service-b`
 *   (data `data/payments-service-b/`); see docs/groups_and_partitions.md.
 */
import { z } from "zod";
import { type ConsumerModule, topic } from "../shared/consumer/define.ts";
import { runConsumerMain } from "../shared/consumer/main.ts";
import { parseEnv } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import {
  orderCreatedSchema,
  ORDERS_CREATED,
  ORDERS_FAILED,
  ORDERS_PAID,
  type OrderStatusEvent,
} from "../services/orders/events.ts";
import { fromCents, MAX_AMOUNT, toCents } from "../services/orders/money.ts";
import { simulatedGateway } from "../services/payments/gateway.ts";
import {
  countDuplicate,
  getPayment,
  insertPayment,
  PAYMENTS_MIGRATIONS,
} from "../services/payments/payments_db.ts";
import { groupName, topicName } from "../shared/kafka/names.ts";

/** The consumer group of seed 001. */
export const PAYMENTS_GROUP = "payments-service-group";

/** CloudEvents source of the payment decisions. */
export const PAYMENTS_SOURCE = "freshet/payments";

const envSchema = z.object({
  PAYMENTS_DECLINE_ABOVE: z.coerce.number({ error: "expected an amount, e.g. 10000" })
    .positive("expected an amount greater than 0").max(MAX_AMOUNT).default(10_000),
  PAYMENTS_GATEWAY_FAILURES: z.coerce.number({ error: "expected a whole number" })
    .int("expected a whole number").nonnegative("expected a whole number").default(0),
  PAYMENTS_INSTANCE: z.string().regex(
    /^[a-z0-9][a-z0-9-]{0,40}$/,
    "expected lowercase letters, digits and dashes",
  ).optional(),
}).catchall(z.string().optional());

/** The consumer name (and data folder) of a payments instance. */
export function paymentsConsumerName(instance?: string): string {
  return instance ? `payments-service-${instance}` : "payments-service";
}

/** The payments consumer module. */
export const paymentsConsumer: ConsumerModule = {
  env: ["PAYMENTS_DECLINE_ABOVE", "PAYMENTS_GATEWAY_FAILURES", "PAYMENTS_INSTANCE"],
  create(env) {
    const config = parseEnv(envSchema, env);
    const name = paymentsConsumerName(config.PAYMENTS_INSTANCE);
    const log = createLogger(`consumer:${name}`);
    const gateway = simulatedGateway({
      declineAboveCents: toCents(config.PAYMENTS_DECLINE_ABOVE),
      unavailableAttempts: config.PAYMENTS_GATEWAY_FAILURES,
    });
    return {
      name,
      principal: "payments",
      groupId: groupName(env, PAYMENTS_GROUP),
      migrations: PAYMENTS_MIGRATIONS,
      // A new or rebuilt database must never pay the topic's history again.
      whenNoStoredOffset: "committed",
      // Instances of the group each keep a database: never re-pay what another handled.
      resumeFrom: "furthest",
      topics: {
        [topicName(env, ORDERS_CREATED)]: topic({
          schema: orderCreatedSchema,
          handle(ctx) {
            const order = ctx.value;
            if (getPayment(ctx.db, order.orderId)) {
              countDuplicate(ctx.db, order.orderId);
              log.info("order already decided; not paying twice", {
                order: order.orderId,
                offset: ctx.offset,
              });
              return;
            }
            const amountCents = toCents(order.total);
            const charge = gateway.charge({ idempotencyKey: order.orderId, amountCents });
            const decidedAt = new Date().toISOString();
            insertPayment(ctx.db, {
              orderId: order.orderId,
              clientId: order.clientId,
              amountCents,
              outcome: charge.approved ? "approved" : "declined",
              reason: charge.reason ?? null,
              chargeId: charge.chargeId,
              decidedAt,
              topic: ctx.topic,
              partition: ctx.partition,
              offset: ctx.offset,
            });
            const event: OrderStatusEvent = {
              orderId: order.orderId,
              clientId: order.clientId,
              clientName: order.clientName ?? null,
              status: charge.approved ? "PAGO" : "FALHA",
              total: fromCents(amountCents),
              updatedAt: decidedAt,
            };
            const base = charge.approved ? ORDERS_PAID : ORDERS_FAILED;
            ctx.emit({
              topic: topicName(env, base),
              key: order.orderId,
              value: event,
              type: base,
              source: PAYMENTS_SOURCE,
              // One decision per order: the same id wherever it is made, so readers can drop a repeat.
              id: `payment-${order.orderId}`,
            });
            log.info(charge.approved ? "payment approved" : "payment declined", {
              order: order.orderId,
              total: event.total,
              partition: ctx.partition,
              reason: charge.reason,
            });
          },
        }),
      },
    };
  },
};

if (import.meta.main) await runConsumerMain(paymentsConsumer);
