/**
 * The services of Freshet, once: each folder under `services/` exports its
 * module (`services/<name>/mod.ts`, shared/service/define_service.ts), and
 * this list is the only place that names them all. The consumer Workers,
 * the launcher's programs and grants, the Kafka principals, the web app's
 * parts, tables, error shapes, pages and route aliases, and deno.json's
 * task lines (tasks/deno_json.ts) derive from it. A new service is one
 * folder and one line here. See docs/architecture.md.
 */
import type { ConsumerEntry } from "./shared/consumer/workers.ts";
import {
  checkServices,
  consumerEntriesOf,
  instanceEnvOf,
  principalsOf,
} from "./shared/service/registry.ts";
import { demandsService } from "./services/demands/mod.ts";
import { ordersService } from "./services/orders/mod.ts";
import { paymentsService } from "./services/payments/mod.ts";
import { balancesService } from "./services/balances/mod.ts";
import { monitorService } from "./services/monitor/mod.ts";
import { consoleService } from "./services/console/mod.ts";
import { pocService } from "./services/poc/mod.ts";
import { restProxyService } from "./services/rest_proxy/mod.ts";
import { alertsService } from "./services/alerts/mod.ts";

/** Every service, in the order the app lists them (navigation, principals, consumers). */
export const SERVICES = checkServices([
  demandsService,
  ordersService,
  paymentsService,
  balancesService,
  monitorService,
  consoleService,
  pocService,
  restProxyService,
  alertsService,
]);

/** Every Kafka principal: the kernel's (`admin`, `web`), then each service's. */
export const PRINCIPALS: readonly string[] = principalsOf(SERVICES);

/** Variables naming the services' instances (`DOCTOR_NAME`, `PAYMENTS_INSTANCE`). */
export const INSTANCE_ENV: readonly string[] = instanceEnvOf(SERVICES);

/**
 * Every consumer of Freshet (the web server runs each as a Worker, `deno
 * task consumer:<task>` as a process), named from `env`; a name that
 * could not name a folder fails with the variable and the expected form.
 */
export function consumerEntries(env: Record<string, string | undefined>): ConsumerEntry[] {
  return consumerEntriesOf(SERVICES, env);
}
