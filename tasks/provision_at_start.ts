/**
 * Topic and ACL provisioning run by `deno task dev` and `deno task test`
 * before anything else: applies kafka-topics.txt and kafka-acls.txt
 * idempotently as the admin principal.
 */
export async function provisionAtStart(): Promise<void> {
  // Wired to shared/provision once it lands.
}
