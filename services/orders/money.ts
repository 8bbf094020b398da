/**
 * Money as the seeds send it (a JSON number such as `4500.00`) and as
 * Freshet stores and compares it: integer cents, so `0.1 + 0.2` adds up.
 */

/** Largest amount accepted for a price or a total. */
export const MAX_AMOUNT = 10_000_000;

/** `amount` in integer cents. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** `cents` as a JSON amount (e.g. 450000 → 4500). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** Whether `amount` has at most two decimal places. */
export function hasCents(amount: number): boolean {
  return Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6;
}

/** `cents` written with two decimals, e.g. `4500.00`. */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

const REAIS = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * An amount as pages show it, in the seeds' currency (Brazilian reais, as
 * seed 001 prints `Total: R$ 100`): `R$ 4,500.00`. The API keeps plain numbers.
 */
export function formatMoney(amount: number): string {
  return `R$ ${REAIS.format(amount)}`;
}
