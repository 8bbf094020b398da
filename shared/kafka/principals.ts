/**
 * The Kafka principals of Freshet: one per service, so every ACL names
 * exactly who may do what. `admin` is the broker's super user and is used
 * only for provisioning and tests.
 */
export const PRINCIPALS = [
  "admin",
  "web",
  "doctor",
  "orders",
  "payments",
  "balances",
  "monitor",
  "console",
] as const;

/** A Freshet service principal name. */
export type Principal = typeof PRINCIPALS[number];

/** Default password of a principal on the local development broker. */
export function localPassword(principal: string): string {
  return `${principal}-secret`;
}
