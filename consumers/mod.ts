/**
 * The consumers the web server runs as Workers (and `deno task
 * consumer:<name>` runs as processes). Each entry names its module and the
 * principal it connects as; its name is also its data folder.
 */
import { z } from "zod";
import type { ConsumerEntry } from "../shared/consumer/workers.ts";
import { parseEnv } from "../shared/core/config.ts";
import { doctorNameSchema } from "../services/demands/doctor_config.ts";
import { BALANCES_SERVICE } from "../services/balances/balance.ts";
import { ORDERS_SERVICE } from "../services/orders/orders_db.ts";
import { MONITOR_SERVICE } from "../services/monitor/monitor_db.ts";
import { balancesConsumer } from "../services/balances/consumer.ts";
import { doctorConsumer, doctorConsumerName } from "../services/demands/consumer.ts";
import { monitorConsumer } from "../services/monitor/consumer.ts";
import { ordersConsumer } from "../services/orders/consumer.ts";
import { paymentsConsumer, paymentsConsumerName, paymentsInstanceSchema } from "../services/payments/consumer.ts";

/** Variables that decide which consumers run and under which names. */
export const CONSUMER_REGISTRY_ENV = ["DOCTOR_NAME", "PAYMENTS_INSTANCE"] as const;

const registrySchema = z.object({
  DOCTOR_NAME: doctorNameSchema.default("house"),
  PAYMENTS_INSTANCE: paymentsInstanceSchema.optional(),
}).catchall(z.string().optional());

/**
 * Every consumer of Freshet, named from `env` (e.g. `DOCTOR_NAME`); a name
 * that could not name a folder fails with the variable and the expected form.
 */
export function consumerEntries(env: Record<string, string | undefined>): ConsumerEntry[] {
  const names = parseEnv(registrySchema, {
    DOCTOR_NAME: env.DOCTOR_NAME || undefined,
    PAYMENTS_INSTANCE: env.PAYMENTS_INSTANCE || undefined,
  });
  return [
    {
      name: doctorConsumerName(names.DOCTOR_NAME),
      task: "doctor",
      principal: "doctor",
      url: new URL("../services/demands/consumer.ts", import.meta.url),
      module: doctorConsumer,
    },
    {
      name: ORDERS_SERVICE,
      task: "orders",
      principal: "orders",
      url: new URL("../services/orders/consumer.ts", import.meta.url),
      module: ordersConsumer,
    },
    {
      name: paymentsConsumerName(names.PAYMENTS_INSTANCE),
      task: "payments",
      principal: "payments",
      url: new URL("../services/payments/consumer.ts", import.meta.url),
      module: paymentsConsumer,
    },
    {
      name: BALANCES_SERVICE,
      task: "balances",
      principal: "balances",
      url: new URL("../services/balances/consumer.ts", import.meta.url),
      module: balancesConsumer,
    },
    {
      name: MONITOR_SERVICE,
      task: "monitor",
      principal: "monitor",
      url: new URL("../services/monitor/consumer.ts", import.meta.url),
      module: monitorConsumer,
    },
  ];
}
