/**
 * The balances service's database: one row per account (the latest value
 * of its key in `contas`) and counters of what the consumer did. One module
 * per store, plain functions.
 *
 * Every column is derived from the Kafka record alone (no wall clock), so a
 * rebuild from the topic produces exactly the live table.
 */
import { type DatabaseSync, type Migration, statement } from "../../shared/sqlite/sqlite.ts";
import type { BalanceRow } from "./balance_row.ts";
import type { BalanceValue } from "./balance.ts";

/** The live table. */
export const BALANCES_TABLE = "balances";
/** The table a rebuild fills before it is swapped in. */
export const REBUILD_TABLE = "balances_next";

/** Tables `applyBalanceRecord` may write (table names cannot be SQL parameters). */
export type BalancesTable = typeof BALANCES_TABLE | typeof REBUILD_TABLE;

/** Migrations of the balances database. */
export const BALANCES_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "balances and stats",
  up: `
    CREATE TABLE balances (
      account_id TEXT PRIMARY KEY,
      saldo REAL NOT NULL,
      -- no declared type: a string timestamp stays a string, a number a number
      timestamp NOT NULL,
      kafka_timestamp INTEGER NOT NULL,
      kafka_partition INTEGER NOT NULL,
      kafka_offset INTEGER NOT NULL
    );
    CREATE INDEX balances_recent ON balances (kafka_timestamp DESC, account_id);
    CREATE TABLE balance_stats (
      name TEXT PRIMARY KEY,
      count INTEGER NOT NULL
    );
  `,
}];

/** Counters kept in `balance_stats`. */
export const STAT_NAMES = [
  "upserts",
  "tombstones",
  "null_keys",
  "id_mismatches",
  "rebuilds",
  "last_rebuild_at",
] as const;
/** One counter of `balance_stats`. */
export type StatName = typeof STAT_NAMES[number];

/** A Kafka record of `contas`, validated. */
export interface ContasRecord {
  key: string;
  /** The balance, or null for a tombstone. */
  value: BalanceValue | null;
  partition: number;
  offset: number;
  /** Kafka timestamp, milliseconds since the epoch. */
  timestamp: number;
}

/** What applying a record did. */
export type ApplyOutcome =
  | { kind: "upserted"; row: BalanceRow; idMismatch: boolean }
  | { kind: "deleted" };

/**
 * Applies one record to `table`: the key wins (Kafka compacts by key), so
 * the row is stored under the key even when `value.cliente_id` disagrees;
 * the disagreement is reported. A tombstone deletes the row.
 */
export function applyBalanceRecord(
  db: DatabaseSync,
  record: ContasRecord,
  table: BalancesTable = BALANCES_TABLE,
): ApplyOutcome {
  if (record.value === null) {
    statement(db, `DELETE FROM ${table} WHERE account_id = ?`).run(record.key);
    return { kind: "deleted" };
  }
  const row: BalanceRow = {
    cliente_id: record.key,
    saldo: record.value.saldo,
    timestamp: record.value.timestamp,
    partition: record.partition,
    offset: record.offset,
    kafkaTimestamp: record.timestamp,
  };
  statement(
    db,
    `INSERT INTO ${table}
       (account_id, saldo, timestamp, kafka_timestamp, kafka_partition, kafka_offset)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET saldo = excluded.saldo,
       timestamp = excluded.timestamp, kafka_timestamp = excluded.kafka_timestamp,
       kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset`,
  ).run(row.cliente_id, row.saldo, row.timestamp, row.kafkaTimestamp, row.partition, row.offset);
  return { kind: "upserted", row, idMismatch: record.value.cliente_id !== record.key };
}

/** The rows of `table` as `BalanceRow`s. */
function selectFrom(table: BalancesTable): string {
  return `SELECT account_id AS cliente_id, saldo, timestamp, kafka_partition AS partition,
    kafka_offset AS offset, kafka_timestamp AS kafkaTimestamp FROM ${table}`;
}

const SELECT = selectFrom(BALANCES_TABLE);

/** A row as a plain object (node:sqlite's rows have a null prototype). */
function toRow(row: unknown): BalanceRow {
  return { ...(row as BalanceRow) };
}

/** The balance of one account, or undefined. */
export function getBalance(db: DatabaseSync, accountId: string): BalanceRow | undefined {
  const row = statement(db, `${SELECT} WHERE account_id = ?`).get(accountId);
  return row ? toRow(row) : undefined;
}

/** The most recently changed balances first (by Kafka timestamp). */
export function listBalances(db: DatabaseSync, limit = 100): BalanceRow[] {
  return statement(db, `${SELECT} ORDER BY kafka_timestamp DESC, account_id LIMIT ?`)
    .all(limit).map(toRow);
}

/** Every balance in account order (for comparisons and exports). */
export function allBalances(db: DatabaseSync, table: BalancesTable = BALANCES_TABLE): BalanceRow[] {
  return statement(db, `${selectFrom(table)} ORDER BY account_id`).all().map(toRow);
}

/** Number of accounts. */
export function countBalances(db: DatabaseSync): number {
  return Number(statement(db, "SELECT count(*) AS n FROM balances").get()!.n);
}

/** Adds `by` to a counter; call inside the transaction of the change it counts. */
export function addStat(db: DatabaseSync, name: StatName, by = 1): void {
  statement(
    db,
    `INSERT INTO balance_stats (name, count) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET count = count + excluded.count`,
  ).run(name, by);
}

/** Sets a counter (e.g. a time); call inside a transaction. */
export function setStat(db: DatabaseSync, name: StatName, value: number): void {
  statement(
    db,
    `INSERT INTO balance_stats (name, count) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET count = excluded.count`,
  ).run(name, value);
}

/** Every counter (0 when never counted). */
export function readStats(db: DatabaseSync): Record<StatName, number> {
  const stats = Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as Record<StatName, number>;
  for (const row of statement(db, "SELECT name, count FROM balance_stats").all()) {
    if ((STAT_NAMES as readonly string[]).includes(String(row.name))) {
      stats[row.name as StatName] = Number(row.count);
    }
  }
  return stats;
}
