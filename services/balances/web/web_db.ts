/** The balances database as the web server opens it (read-only use: the consumer writes it). */
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { WebServices } from "../../../shared/web/services.ts";
import { BALANCES_SERVICE } from "../balance.ts";
import { BALANCES_MIGRATIONS } from "../balances_db.ts";

/** The balances service's database, opened once by the server's `Databases`. */
export function balancesDb(services: Pick<WebServices, "databases">): DatabaseSync {
  return services.databases.get(BALANCES_SERVICE, BALANCES_MIGRATIONS);
}
