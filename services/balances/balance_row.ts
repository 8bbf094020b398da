/**
 * What the balances page shows of an account, in the browser and on the
 * server alike (this module must stay free of server-only imports), and how
 * a live update from the bus changes the list.
 */

/** One account: the API's `{cliente_id, saldo, timestamp}` plus where it came from. */
export interface BalanceRow {
  cliente_id: string;
  saldo: number;
  /** As the producer sent it: an ISO-like string or an epoch number. */
  timestamp: string | number;
  partition: number;
  offset: number;
  /** Kafka timestamp of the record, milliseconds since the epoch. */
  kafkaTimestamp: number;
}

/** A balance as the API answers it: exactly the seed's `{cliente_id, saldo, timestamp}`. */
export type ApiBalance = Pick<BalanceRow, "cliente_id" | "saldo" | "timestamp">;

/** The answer to a lookup by account id. */
export type BalanceLookup =
  | { id: string; status: "found"; balance: ApiBalance }
  | { id: string; status: "missing" }
  | { id: string; status: "invalid"; error: string };

/** The API's view of a row. */
export function toApiBalance(row: BalanceRow): ApiBalance {
  return { cliente_id: row.cliente_id, saldo: row.saldo, timestamp: row.timestamp };
}

/** The balance as text, two decimals (the same on the server and in every browser). */
export function formatSaldo(saldo: number): string {
  return saldo.toFixed(2);
}

/**
 * A row that arrived from the bus in the browser, where it was not
 * validated: undefined unless it has the fields the table shows.
 */
export function parseBalanceRow(data: unknown): BalanceRow | undefined {
  const d = data as Partial<BalanceRow> | null;
  if (typeof d?.cliente_id !== "string" || typeof d.saldo !== "number") return undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  return {
    cliente_id: d.cliente_id,
    saldo: d.saldo,
    timestamp: typeof d.timestamp === "number" ? d.timestamp : String(d.timestamp ?? ""),
    partition: num(d.partition),
    offset: num(d.offset),
    kafkaTimestamp: num(d.kafkaTimestamp),
  };
}

/** The list with `row` first (replacing its previous version), cut to `limit`. */
export function upsertBalance(rows: BalanceRow[], row: BalanceRow, limit: number): BalanceRow[] {
  return [row, ...rows.filter((r) => r.cliente_id !== row.cliente_id)].slice(0, limit);
}

/** The list without account `id`. */
export function removeBalance(rows: BalanceRow[], id: string): BalanceRow[] {
  return rows.filter((r) => r.cliente_id !== id);
}
