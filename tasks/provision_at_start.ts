/**
 * Topic and ACL provisioning run by `deno task dev` and `deno task test`
 * before anything else: applies kafka-topics.txt and kafka-acls.txt
 * idempotently as the admin principal and prints a one-screen summary.
 */
import { formatSummary, provision } from "../shared/provision/mod.ts";

/** Applies both files; throws when something could not be applied. */
export async function provisionAtStart(): Promise<void> {
  const result = await provision();
  console.log(formatSummary(result));
  if (result.errors.length > 0) {
    throw new Error(`provisioning failed (${result.errors.length} errors); see above`);
  }
}
