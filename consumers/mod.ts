/**
 * The consumers the web server runs as Workers (and `deno task
 * consumer:<name>` runs as processes). Each entry names its module and the
 * principal it connects as; its name is also its data folder.
 */
import type { ConsumerEntry } from "../shared/consumer/workers.ts";
import { BALANCES_SERVICE } from "../services/balances/balance.ts";
import { ORDERS_SERVICE } from "../services/orders/orders_db.ts";
import { MONITOR_SERVICE } from "../services/monitor/monitor_db.ts";
import { balancesConsumer } from "./balances.ts";
import { doctorConsumer, doctorConsumerName } from "./doctor.ts";
import { monitorConsumer } from "./monitor.ts";
import { ordersConsumer } from "./orders.ts";
import { paymentsConsumer, paymentsConsumerName } from "./payments.ts";

/** Variables that decide which consumers run and under which names. */
export const CONSUMER_REGISTRY_ENV = ["DOCTOR_NAME", "PAYMENTS_INSTANCE"] as const;

/** Every consumer of Freshet, named from `env` (e.g. `DOCTOR_NAME`). */
export function consumerEntries(env: Record<string, string | undefined>): ConsumerEntry[] {
  return [
    {
      name: doctorConsumerName(env.DOCTOR_NAME || "house"),
      task: "doctor",
      principal: "doctor",
      url: new URL("./doctor.ts", import.meta.url),
      module: doctorConsumer,
    },
    {
      name: ORDERS_SERVICE,
      task: "orders",
      principal: "orders",
      url: new URL("./orders.ts", import.meta.url),
      module: ordersConsumer,
    },
    {
      name: paymentsConsumerName(env.PAYMENTS_INSTANCE),
      task: "payments",
      principal: "payments",
      url: new URL("./payments.ts", import.meta.url),
      module: paymentsConsumer,
    },
    {
      name: BALANCES_SERVICE,
      task: "balances",
      principal: "balances",
      url: new URL("./balances.ts", import.meta.url),
      module: balancesConsumer,
    },
    {
      name: MONITOR_SERVICE,
      task: "monitor",
      principal: "monitor",
      url: new URL("./monitor.ts", import.meta.url),
      module: monitorConsumer,
    },
  ];
}
