/**
 * The account balance of seed 003: the compacted topic `contas`, keyed by
 * account id, whose values are `{cliente_id, saldo, timestamp}` exactly as
 * the seed's Python producers, kcat or another team's app send them. The
 * latest value of a key is the balance; a null value (tombstone) deletes
 * the account.
 */
import { z } from "zod";
import { InvalidMessageError } from "../../shared/core/errors.ts";

/** Base name of the compacted topic (prefixed with `topicName`). */
export const CONTAS = "contas";
/** The balances service: its consumer name, data folder and group. */
export const BALANCES_SERVICE = "balances-service";
/** Bus topic of balance changes (`upserted`, `deleted`, `rebuilt`). */
export const BALANCES_BUS_TOPIC = "balances";
/** Longest account id accepted, in characters. */
export const MAX_ACCOUNT_ID_LENGTH = 200;

const accountId = z.string().trim().min(1, "must not be empty").max(
  MAX_ACCOUNT_ID_LENGTH,
  `must be at most ${MAX_ACCOUNT_ID_LENGTH} characters`,
);

/**
 * A balance value. Lenient where the seed's producers differ, strict where
 * it matters: `cliente_id` may be a string or an integer (kept as a string),
 * `saldo` must be a finite number, `timestamp` an ISO-like string (the
 * seed's `2025-10-14T10:30:45`) or epoch seconds/milliseconds, kept as sent.
 * Unknown fields are dropped.
 */
export const balanceValueSchema = z.object({
  cliente_id: z.union([
    accountId,
    z.number({ error: "expected a string or an integer" }).int("expected an integer").transform(
      String,
    ),
  ], { error: "expected a string or an integer" }),
  saldo: z.number({ error: "expected a number" }).finite("expected a finite number"),
  timestamp: z.union([
    z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
    z.number().finite().nonnegative(),
  ], { error: "expected a string or a non-negative number" }),
});

/** A balance value as produced to `contas`. */
export type BalanceValue = z.infer<typeof balanceValueSchema>;

/** What the consumer accepts: a balance, or null for a tombstone. */
export const contasRecordSchema = balanceValueSchema.nullable();

/** Validates an account id given by a person or a URL; returns it trimmed, or an error message. */
export function parseAccountId(
  input: string,
): { ok: true; id: string } | { ok: false; error: string } {
  const result = accountId.safeParse(input);
  if (result.success) return { ok: true, id: result.data };
  return { ok: false, error: `account id ${result.error.issues[0].message}` };
}

/**
 * The account id of a record's key: null for a null key (skipped and
 * counted: a compacted topic refuses keyless records, so one can only come
 * from a misconfigured topic); an empty or overlong key is an invalid
 * message (dead-lettered).
 */
export function accountKey(key: string | null): string | null {
  if (key === null) return null;
  if (key.trim() === "") throw new InvalidMessageError("the key (account id) is empty", "BAD_KEY");
  if (key.length > MAX_ACCOUNT_ID_LENGTH) {
    throw new InvalidMessageError(
      `the key (account id) is longer than ${MAX_ACCOUNT_ID_LENGTH} characters`,
      "BAD_KEY",
    );
  }
  return key;
}
