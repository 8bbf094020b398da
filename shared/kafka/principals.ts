/**
 * Kafka principals: one per service, so every ACL names exactly who may do
 * what. Which principals exist is the root list's (freshet.ts
 * `PRINCIPALS`: the kernel's `admin` and `web`, then each service's); the
 * kernel takes them as data. `admin` is the broker's super user, used only
 * for provisioning and tests.
 */

/** A principal name (`admin`, `web`, or one a service declares). */
export type Principal = string;

/** Default password of a principal on the local development broker. */
export function localPassword(principal: string): string {
  return `${principal}-secret`;
}
