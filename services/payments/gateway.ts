/**
 * The payment gateway the payments consumer charges, and a simulated one.
 *
 * A charge carries an idempotency key (the orderId), as real gateways
 * accept: asking again with the same key returns the first answer and
 * never charges twice. The consumer relies on it, because a batch that
 * fails midway is rolled back and retried, charging its earlier orders
 * again.
 *
 * The simulated gateway approves a charge up to `declineAboveCents` and
 * declines anything above (a card limit: deterministic, so a test or a
 * demo knows the outcome). `unavailableAttempts` makes it answer
 * "unavailable" (a retriable error) to the first N attempts of every
 * charge: how tests and demos show per-message retries with backoff.
 * `downUntil` makes every charge fail until then: an outage, which the
 * runner waits out without dead-lettering anything.
 */
import { TransientError } from "../../shared/core/errors.ts";
import { formatCents } from "../orders/mod.ts";

/** One charge. */
export interface ChargeRequest {
  /** Same key, same charge: a repeated request returns the first answer. */
  idempotencyKey: string;
  amountCents: number;
}

/** The gateway's answer. */
export interface ChargeResult {
  chargeId: string;
  approved: boolean;
  /** Why a charge was declined. */
  reason?: string;
}

/** A payment gateway. Throws a retriable error when it cannot answer now. */
export interface PaymentGateway {
  charge(request: ChargeRequest): ChargeResult;
}

/** The gateway could not be reached or answered "try later": retry with backoff. */
export class GatewayUnavailableError extends TransientError {
  constructor(message: string) {
    super(message, "GATEWAY_UNAVAILABLE");
    this.name = "GatewayUnavailableError";
  }
}

/** Options of `simulatedGateway`. */
export interface SimulatedGatewayOptions {
  /** Charges above this many cents are declined. */
  declineAboveCents: number;
  /** Attempts of each charge answered "unavailable" before it goes through (default 0). */
  unavailableAttempts?: number;
  /** Idempotency keys remembered (default 100 000; the oldest are forgotten first). */
  rememberKeys?: number;
  /** Every charge is answered "unavailable" until this time (ms since the epoch): an outage. */
  downUntil?: number;
}

/** A deterministic in-memory gateway (see the module comment). */
export function simulatedGateway(options: SimulatedGatewayOptions): PaymentGateway {
  const unavailable = options.unavailableAttempts ?? 0;
  const remember = options.rememberKeys ?? 100_000;
  const answers = new Map<string, ChargeResult>();
  const attempts = new Map<string, number>();
  return {
    charge({ idempotencyKey, amountCents }) {
      const known = answers.get(idempotencyKey);
      if (known) return known;
      if (options.downUntil !== undefined && Date.now() < options.downUntil) {
        throw new GatewayUnavailableError(
          `payment gateway unavailable (simulated outage, ${
            Math.ceil((options.downUntil - Date.now()) / 1000)
          } s left)`,
        );
      }
      const attempt = (attempts.get(idempotencyKey) ?? 0) + 1;
      attempts.set(idempotencyKey, attempt);
      if (attempt <= unavailable) {
        throw new GatewayUnavailableError(
          `payment gateway unavailable (simulated, attempt ${attempt} of ${unavailable})`,
        );
      }
      attempts.delete(idempotencyKey);
      const approved = amountCents <= options.declineAboveCents;
      const answer: ChargeResult = {
        // A real gateway answers the same charge to the same key, whichever
        // instance asks: the simulated one derives it from the key.
        chargeId: `ch_${idempotencyKey}`,
        approved,
        reason: approved
          ? undefined
          : `amount ${formatCents(amountCents)} above the limit of ${
            formatCents(options.declineAboveCents)
          }`,
      };
      answers.set(idempotencyKey, answer);
      if (answers.size > remember) answers.delete(answers.keys().next().value!);
      return answer;
    },
  };
}
