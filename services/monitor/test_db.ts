/** A monitor database in a temporary folder, for the storage tests (no broker). */
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { openMonitorDatabase } from "./monitor_database.ts";

/** Runs `fn` with a fresh monitor database, removed afterwards. */
export async function withMonitorDb(fn: (db: DatabaseSync) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "freshet-monitor-db-" });
  const db = openMonitorDatabase(dir);
  try {
    await fn(db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
