/**
 * Kafka records of `contas` as Freshet's producer writes them: key = the
 * account id, value = the seed's `{cliente_id, saldo, timestamp}` JSON (or
 * null, a tombstone), CloudEvents attributes in the headers.
 */
import { cloudEventHeaders } from "../../shared/kafka/cloudevents.ts";
import type { BalanceValue } from "./balance.ts";

/** CloudEvents type of a balance record. */
export const BALANCE_EVENT_TYPE = "contas.balance";

/** A record ready for `producer.send`. */
export interface BalanceRecord {
  key: string;
  value: string | null;
  headers: Record<string, string>;
}

/** The record setting account `id` to `saldo`, or deleting it when `saldo` is null. */
export function balanceRecord(id: string, saldo: number | null, now = new Date()): BalanceRecord {
  const time = now.toISOString();
  const value: BalanceValue | null = saldo === null
    ? null
    : { cliente_id: id, saldo, timestamp: time };
  return {
    key: id,
    value: value === null ? null : JSON.stringify(value),
    headers: cloudEventHeaders({
      id: crypto.randomUUID(),
      type: BALANCE_EVENT_TYPE,
      source: "freshet/balances-producer",
      time,
    }),
  };
}

/** `count` random balances (0.00 to 10 000.00) over accounts `1`..`accounts`. */
export function* sampleRecords(count: number, accounts: number): Generator<BalanceRecord> {
  for (let i = 0; i < count; i++) {
    const id = String(1 + Math.floor(Math.random() * accounts));
    yield balanceRecord(id, Math.round(Math.random() * 1_000_000) / 100);
  }
}
