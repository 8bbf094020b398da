/**
 * The payments service (seed 001's Payments Service): a processor that
 * charges each order once through the payment gateway and answers
 * `orders.paid` or `orders.failed`; instances share its group
 * (`PAYMENTS_INSTANCE` names one). See docs/orders_and_payments.md.
 */
import { parseEnv } from "../../shared/core/config.ts";
import { namedGroup } from "../../shared/web/group_owner.ts";
import { defineService } from "../../shared/service/define_service.ts";
import { z } from "zod";
import {
  PAYMENTS_GROUP,
  paymentsConsumer,
  paymentsConsumerName,
  paymentsInstanceSchema,
} from "./consumer.ts";

const instanceSchema = z.object({ PAYMENTS_INSTANCE: paymentsInstanceSchema.optional() })
  .catchall(z.string().optional());

/** The payments service. */
export const paymentsService = defineService({
  name: "payments",
  description: "Charges each order exactly once and answers paid or failed (seed 001).",
  principals: ["payments"],
  instanceEnv: ["PAYMENTS_INSTANCE"],
  consumers: (env) => [{
    name: paymentsConsumerName(
      parseEnv(instanceSchema, { PAYMENTS_INSTANCE: env.PAYMENTS_INSTANCE || undefined })
        .PAYMENTS_INSTANCE,
    ),
    task: "payments",
    principal: "payments",
    url: new URL("./consumer.ts", import.meta.url),
    module: paymentsConsumer,
  }],
  groups: [namedGroup({
    group: PAYMENTS_GROUP,
    consumer: "payments",
    replay: "No replay: payments must never charge old orders again. Its instances resume at " +
      "the later of SQLite's and Kafka's offset, so moving Kafka's back does nothing and " +
      "moving it forward skips orders unpaid.",
  })],
});
