/**
 * The table a rebuild fills and swaps in. It is created from the live
 * table's own `CREATE TABLE` statement (so both always have the same
 * columns, whatever migrations ran), without indexes while it is filled;
 * the swap drops the live table, renames the new one and recreates the
 * live table's indexes, all inside the caller's transaction.
 */
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { addStat, BALANCES_TABLE, countBalances, REBUILD_TABLE, setStat } from "./balances_db.ts";

/** `CREATE` statements of the live table (first) and of its indexes. */
function liveSchema(db: DatabaseSync): { table: string; indexes: string[] } {
  const rows = db.prepare(
    "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC",
  ).all(BALANCES_TABLE) as { type: string; sql: string }[];
  const table = rows.find((r) => r.type === "table");
  if (!table) throw new Error(`the database has no ${BALANCES_TABLE} table`);
  return { table: table.sql, indexes: rows.filter((r) => r.type === "index").map((r) => r.sql) };
}

/** Creates an empty rebuild table, dropping one a failed rebuild left behind. */
export function createRebuildTable(db: DatabaseSync): void {
  const { table } = liveSchema(db);
  const sql = table.replace(
    /^CREATE TABLE\s+("?)balances\1(?=\s*\()/i,
    `CREATE TABLE ${REBUILD_TABLE}`,
  );
  if (sql === table) throw new Error(`unexpected schema of ${BALANCES_TABLE}: ${table}`);
  db.exec(`DROP TABLE IF EXISTS ${REBUILD_TABLE}`);
  db.exec(sql);
}

/** Drops the rebuild table if it is still there. */
export function dropRebuildTable(db: DatabaseSync): void {
  db.exec(`DROP TABLE IF EXISTS ${REBUILD_TABLE}`);
}

/**
 * Replaces the live table by the rebuild table and counts the rebuild;
 * call inside a transaction. Returns the number of accounts.
 */
export function swapRebuildTable(db: DatabaseSync): number {
  if (!db.isTransaction) throw new Error("swapRebuildTable must run inside a transaction");
  const { indexes } = liveSchema(db);
  db.exec(`DROP TABLE ${BALANCES_TABLE}`);
  db.exec(`ALTER TABLE ${REBUILD_TABLE} RENAME TO ${BALANCES_TABLE}`);
  for (const sql of indexes) db.exec(sql);
  addStat(db, "rebuilds");
  setStat(db, "last_rebuild_at", Date.now());
  return countBalances(db);
}
