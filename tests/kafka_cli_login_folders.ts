/**
 * The folders `deno task kafka:cli` keeps its login file in while a tool
 * runs (kafka/cli_properties.ts): a test that runs it checks none is left
 * behind, whatever way the command ended.
 */
import assert from "node:assert/strict";
import { waitFor } from "./helpers.ts";

/** The login folders in /tmp now. */
export function loginFolders(): string[] {
  return [...Deno.readDirSync("/tmp")].map((e) => e.name)
    .filter((name) => name.startsWith("freshet-kafka-cli-"));
}

/**
 * Waits until every login folder made since `before` is gone. Another test
 * running kafka:cli at the same time (another lane) has its folder for as
 * long as its command runs; one left behind stays for good.
 */
export async function assertLoginFoldersGone(before: string[]): Promise<void> {
  const left = () => loginFolders().filter((name) => !before.includes(name));
  await waitFor(
    "every login folder made since the test began gone",
    () => left().length === 0,
    60_000,
  )
    .catch(() => assert.deepEqual(left(), []));
}
