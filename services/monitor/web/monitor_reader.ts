/** The monitor's database as the web server reads it (the monitor itself writes it). */
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { WebServices } from "../../../shared/web/services.ts";
import { type MonitorSettings } from "../config.ts";
import { readSettings } from "../monitor_database.ts";
import { MONITOR_MIGRATIONS, MONITOR_SERVICE } from "../monitor_db.ts";

/** The monitor's database, opened once by the server's `Databases`. */
export function monitorDb(services: Pick<WebServices, "databases">): DatabaseSync {
  return services.databases.get(MONITOR_SERVICE, MONITOR_MIGRATIONS);
}

/** The database and the settings the monitor stored in it. */
export function monitorReader(
  services: Pick<WebServices, "databases">,
): { db: DatabaseSync; settings: MonitorSettings } {
  const db = monitorDb(services);
  return { db, settings: readSettings(db) };
}
